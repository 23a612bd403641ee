import Foundation
import Mustache
import TaskWardenCore
import TaskWardenWatch
import Testing

@testable import TaskWardenDashboard

/// The templates themselves: they parse, and none can emit a value unescaped.
@Suite("dashboard templates")
struct DashboardTemplatesTests {
    @Test("every template parses and is in the library")
    func parse() throws {
        for (name, text) in DashboardTemplates.sources {
            _ = try MustacheTemplate(string: text)
            #expect(DashboardTemplates.library.getTemplate(named: name) != nil, "\(name)")
        }
    }

    @Test("no template uses the unescaped forms {{{name}}} or {{&name}}, nor an inline script or style")
    func everythingEscaped() {
        for (name, text) in DashboardTemplates.sources {
            #expect(!text.contains("{{{"), "\(name)")
            #expect(!text.contains("{{&"), "\(name)")
            #expect(!text.contains("<script>"), "\(name): inline script")
            #expect(!text.contains("style="), "\(name): inline style")
            #expect(text.firstMatch(of: /\son[a-z]+\s*=/) == nil, "\(name): an event handler attribute")
        }
    }

    @Test("the lease panel says who leads, for how long, or that the lease expired or never existed")
    func leaseText() {
        let now = Timestamp(microsecondsSinceEpoch: 1_000_000_000_000)
        let live = WatchLeadership.Holder(owner: "host:1:ab", expiresAt: now.adding(seconds: 20))
        #expect(Dashboard.leaseText(.some(live), now: now) == "host:1:ab, lease for 20s more")
        let dead = WatchLeadership.Holder(owner: "host:1:ab", expiresAt: now.adding(seconds: -90))
        #expect(Dashboard.leaseText(.some(dead), now: now) == "none: host:1:ab's lease expired 1m30s ago")
        #expect(Dashboard.leaseText(.some(nil), now: now) == "no watchdog has led yet")
        #expect(Dashboard.leaseText(nil, now: now).hasPrefix("unknown"))
    }

    @Test("a session cookie is valid for its role until it expires, and not once altered")
    func sessions() {
        let sessions = DashboardSessions()
        let now = Date()
        let cookie = sessions.issue(.reader, now: now)
        #expect(sessions.role(cookie: cookie, now: now) == .reader)
        #expect(sessions.role(cookie: cookie, now: now.addingTimeInterval(DashboardSessions.lifetime + 1)) == .anonymous)
        #expect(sessions.role(cookie: cookie.replacingOccurrences(of: "reader.", with: "admin."), now: now) == .anonymous)
        #expect(DashboardSessions().role(cookie: cookie, now: now) == .anonymous, "another process's key")
        #expect(sessions.role(cookie: nil) == .anonymous)
        #expect(DashboardSessions.cookie(in: "a=b; \(DashboardSessions.cookieName)=xyz; c=d") == "xyz")
    }
}
