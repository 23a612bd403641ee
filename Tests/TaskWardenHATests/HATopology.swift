import Foundation
import TaskWardenTestSupport

/// A database topology `scripts/test-ha.sh` started for these tests, read from the environment.
///
/// Each topology script in `scripts/ha/` exports its servers' URLs and control commands before
/// it runs its suite. A missing variable fails the test that needs it: a topology is never
/// silently skipped.
enum HATopology {
    /// The value of a variable the topology script exports.
    static func required(_ variable: String) throws -> String {
        try TestBackend.required(variable)
    }
}
