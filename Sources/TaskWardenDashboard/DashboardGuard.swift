import Hummingbird

/// The dashboard's browser-side defences: response headers, and the same-origin check every
/// state-changing request passes.
enum DashboardGuard {
    typealias HeaderName = HTTPFields.Element.Name

    /// On every dashboard response. The policy allows the dashboard's own script and style
    /// sheet only (no inline script, so markup that slipped through escaping still cannot run),
    /// forbids framing (clickjacking) and keeps pages out of caches and referrers.
    static let headers: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HeaderName("X-Frame-Options")!: "DENY",
        .xContentTypeOptions: "nosniff",
        HeaderName("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]

    /// Whether a state-changing request comes from the dashboard's own pages.
    ///
    /// Browsers say where a request comes from in `Sec-Fetch-Site` (current ones) and `Origin`
    /// (every POST): `same-origin`, or an `Origin` whose host is the `Host` the request was sent
    /// to, passes. A request with neither header is not a browser's cross-site request (a
    /// browser always sends one of them on a cross-site POST) and passes; it still needs a token.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HeaderName("Sec-Fetch-Site")!] {
            return site == "same-origin" || site == "none"
        }
        if let origin = request.headers[.origin] {
            guard let host = request.head.authority else { return false }
            return origin == "http://\(host)" || origin == "https://\(host)"
        }
        return true
    }
}
