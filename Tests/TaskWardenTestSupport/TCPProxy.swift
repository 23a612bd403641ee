import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP proxy to a test server that can be stopped and started again, to simulate a
/// server that goes away and comes back: stopping closes the listener and every connection.
public final class TCPProxy: @unchecked Sendable {
    public private(set) var port: Int = 0
    private let targetPort: Int
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var sockets: Set<Int32> = []

    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        try start()
    }

    deinit { stop() }

    /// Listens again (on the same port after a stop) and forwards new connections.
    public func start() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ProxyError("socket") }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: port)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 64) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw ProxyError("bind to port \(port)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        lock.withLock { listener = descriptor }
        Thread.detachNewThread { [self] in acceptLoop(descriptor) }
    }

    /// Stops listening and cuts every connection, as a server that went down.
    public func stop() {
        let (listening, open) = lock.withLock { () -> (Int32, Set<Int32>) in
            defer {
                listener = -1
                sockets.removeAll()
            }
            return (listener, sockets)
        }
        if listening >= 0 {
            shutdown(listening, Int32(SHUT_RDWR))
            close(listening)
        }
        for descriptor in open {
            shutdown(descriptor, Int32(SHUT_RDWR))
            close(descriptor)
        }
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
            guard connected, lock.withLock({ listener == listening }) else {
                close(client)
                close(server)
                if lock.withLock({ listener != listening }) { return }
                continue
            }
            lock.withLock {
                sockets.insert(client)
                sockets.insert(server)
            }
            Thread.detachNewThread { [self] in pump(from: client, to: server) }
            Thread.detachNewThread { [self] in pump(from: server, to: client) }
        }
    }

    private func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { break }
                sent += written
            }
            if sent < count { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    struct ProxyError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
