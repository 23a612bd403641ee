/// When and how long to wait before trying database work again.
///
/// Exponential backoff with full jitter: before attempt *n* (n ≥ 2) the wait is a random
/// duration between zero and `min(maxDelay, initialDelay × 2^(n-2))`, so that many workers
/// that lost the same server do not come back in lockstep. Attempts stop at `maxAttempts` or
/// once `maxTotalTime` has passed, whichever comes first; by default only the time bounds
/// them. Whether an error is worth another attempt is decided by its
/// ``DatabaseError/Category`` alone. A connection that fails while it is opened or set up is
/// an attempt like any other: the pool waits, then connects again.
///
/// Why time and not a count: under a burst of faults (sessions killed every few milliseconds,
/// measured on PostgreSQL) about 1 % of `finish` calls spent six attempts within a second,
/// mostly on connections killed while they were being set up, and the final status was lost.
/// The cost of giving up is a run left `running`; the cost of another attempt is a few
/// milliseconds. So the default keeps trying for a minute.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var maxTotalTime: Duration
    public var initialDelay: Duration
    public var maxDelay: Duration
    /// Which errors are retried; by default the transient categories (connection lost,
    /// timeout, deadlock, busy).
    public var isRetryable: @Sendable (DatabaseError) -> Bool

    public init(
        maxAttempts: Int = .max, maxTotalTime: Duration = .seconds(60), initialDelay: Duration = .milliseconds(100),
        maxDelay: Duration = .seconds(5), isRetryable: @escaping @Sendable (DatabaseError) -> Bool = { $0.category.isTransient }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxTotalTime = maxTotalTime
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.isRetryable = isRetryable
    }

    /// Retries transient errors for up to 60 seconds, however many attempts that takes, with
    /// waits from 100 ms doubling up to 5 s.
    public static let standard = RetryPolicy()

    /// One attempt, no retries.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt` (2 for the first retry), with full jitter.
    public func delay(beforeAttempt attempt: Int, random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Duration {
        let exponent = Double(max(0, attempt - 2))
        let ceiling = min(maxDelay.seconds, initialDelay.seconds * pow2(exponent))
        return .milliseconds(Int64(random(0...max(0, ceiling)) * 1_000))
    }

    /// The wait before trying again after `error` ended attempt `attempt`, `elapsed` after the
    /// first began; `nil` to give up.
    ///
    /// One rule for every retry loop (pooled work, connecting at start-up): give up on an error
    /// that is not retryable, after `maxAttempts`, or once `maxTotalTime` has passed; and never
    /// wait past `maxTotalTime`, so that the last attempt still starts within it.
    public func delay(after error: DatabaseError, attempt: Int, elapsed: Duration) -> Duration? {
        guard isRetryable(error), attempt < maxAttempts, elapsed < maxTotalTime else { return nil }
        return min(delay(beforeAttempt: attempt + 1), maxTotalTime - elapsed)
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(min(exponent, 60)) { value *= 2 }
        return value
    }
}
