/// Why a watchdog's cycle stopped short.
public struct WatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The lease expired or was taken over while this process worked: its batch was
        /// refused (rolled back) so that it never acts beside the new leader.
        case leaseLost(name: String)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .leaseLost(let name): "lease '\(name)' was lost (expired or taken over): the batch was rolled back, another replica leads now"
        }
    }
}
