import Foundation

/// The reset previews the admin API handed out: a reset runs only with the token of a preview
/// of the very same request, taken in the last five minutes, once.
///
/// The API's form of the CLI's rule (a dry run, then a confirmation): a client cannot change
/// runs it was not shown the count of, nor reuse one preview for another selection.
actor ResetPreviews {
    static let lifetime: Duration = .seconds(300)
    private var previews: [String: (request: String, expires: ContinuousClock.Instant)] = [:]

    /// A new token for a preview of `request` (its canonical form).
    func issue(for request: String) -> String {
        let now = ContinuousClock.now
        previews = previews.filter { $0.value.expires > now }
        let token = UUID().uuidString.lowercased()
        previews[token] = (request, now + Self.lifetime)
        return token
    }

    /// Whether `token` was issued for `request` and is still valid; it is used up either way.
    func redeem(_ token: String, for request: String) -> Bool {
        guard let preview = previews.removeValue(forKey: token) else { return false }
        return preview.request == request && preview.expires > ContinuousClock.now
    }
}
