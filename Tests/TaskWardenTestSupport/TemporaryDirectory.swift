import Foundation

/// Makes temporary directories for tests.
public enum TemporaryDirectory {
    /// A new, empty directory; its path ends without a slash.
    public static func make() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("taskwarden-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension String {
    /// This path with `component` appended.
    public func appending(_ component: String) -> String {
        (self as NSString).appendingPathComponent(component)
    }
}
