/// The version of this TaskWarden build, as `taskwarden --version` prints it.
public enum TaskWardenVersion {
    public static let current = "0.1.0"
}
