import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP port that accepts connections and never says a word.
///
/// The kernel completes the handshake from the listen backlog, so a client's connect succeeds
/// and it then waits for a server greeting that never comes: exactly a server that hangs.
public final class SilentListener {
    public let port: Int
    private let socketDescriptor: Int32

    public init() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw ListenerError() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw ListenerError()
        }
        socketDescriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socketDescriptor) }

    struct ListenerError: Error {}
}

/// A loopback port with nothing listening on it.
public func closedLoopbackPort() throws -> Int {
    let listener = try SilentListener()
    return listener.port  // Closed again when the listener is released here.
}
