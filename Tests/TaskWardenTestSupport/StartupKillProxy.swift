import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback proxy to a real PostgreSQL server that has the server kill each session at the
/// last moment of its start-up: when the server's first ReadyForQuery arrives, the proxy holds
/// it, asks `kill` to end that backend (its pid comes from BackendKeyData), and forwards the
/// ReadyForQuery together with what the dying backend sent (its FATAL 57P01 error) in one write.
///
/// The client thus sees what it sees when a session is killed while it connects, on demand
/// instead of once in thousands of tries. Connect with `sslmode=disable&gssencmode=disable`:
/// the proxy reads the server's messages in plain text.
public final class StartupKillProxy: @unchecked Sendable {
    public private(set) var port: Int = 0
    private let targetPort: Int
    private let kill: @Sendable (Int32) -> Void
    private var listener: Int32 = -1

    /// - Parameter kill: ends the backend with this pid (`pg_terminate_backend`) and returns
    ///   once it has ended.
    public init(targetPort: Int, kill: @escaping @Sendable (Int32) -> Void) throws {
        self.targetPort = targetPort
        self.kill = kill
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 16) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw ProxyFailure() }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = descriptor
        Thread.detachNewThread { [self] in acceptLoop(descriptor) }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop(_ listening: Int32) {
        while true {
            let client = accept(listening, nil, nil)
            guard client >= 0 else { return }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else {
                close(client)
                close(server)
                continue
            }
            Thread.detachNewThread { Self.pump(from: client, to: server) }
            Thread.detachNewThread { [self] in serverToClient(server: server, client: client) }
        }
    }

    /// Forwards the server's messages until its first ReadyForQuery, then kills the backend.
    private func serverToClient(server: Int32, client: Int32) {
        var pending: [UInt8] = []
        var pid: Int32?
        var buffer = [UInt8](repeating: 0, count: 65_536)
        defer {
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(server, Int32(SHUT_RDWR))
            close(client)
            close(server)
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(server, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            pending += buffer[0..<count]
            // Whole messages: a type byte, then a big-endian length that counts itself.
            while pending.count >= 5 {
                let length = Int(UInt32(pending[1]) << 24 | UInt32(pending[2]) << 16 | UInt32(pending[3]) << 8 | UInt32(pending[4]))
                guard pending.count >= 1 + length else { break }
                let message = Array(pending[0..<(1 + length)])
                pending.removeFirst(1 + length)
                if message[0] == UInt8(ascii: "K"), length >= 8 {
                    pid = Int32(bitPattern: UInt32(message[5]) << 24 | UInt32(message[6]) << 16 | UInt32(message[7]) << 8 | UInt32(message[8]))
                }
                guard message[0] == UInt8(ascii: "Z"), let pid else {
                    Self.sendAll(message, to: client)
                    continue
                }
                kill(pid)
                // What the backend said as it died, until it closed the connection (bounded,
                // should the kill have failed).
                var wait = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
                var last = message + pending
                while true {
                    let more = buffer.withUnsafeMutableBytes { recv(server, $0.baseAddress, $0.count, 0) }
                    guard more > 0 else { break }
                    last += buffer[0..<more]
                }
                Self.sendAll(last, to: client)
                return
            }
        }
    }

    private static func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            guard count > 0, sendAll(Array(buffer[0..<count]), to: destination) else { break }
        }
        shutdown(destination, Int32(SHUT_WR))
    }

    @discardableResult
    private static func sendAll(_ bytes: [UInt8], to destination: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let written = bytes.withUnsafeBytes { send(destination, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            sent += written
        }
        return true
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    struct ProxyFailure: Error {}
}
