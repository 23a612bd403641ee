import Hummingbird

/// A set of routes the admin server serves under a path of its own (the dashboard's `/ui`).
///
/// The server owns the listener and the process's lifecycle; a mount only adds routes, so the
/// dashboard rides on `taskwarden watch --http` and `taskwarden serve` alike without either
/// knowing its pages.
public protocol AdminMount: Sendable {
    /// The path the routes live under, without slashes (`ui`).
    var path: String { get }
    func addRoutes(to group: RouterGroup<BasicRequestContext>)
}
