//! The AWS "standard" retry strategy: which failures are retried, how long to wait, and the
//! retry quota that keeps a failing service from being hammered.

use crate::OperationError;
use std::sync::Mutex;
use std::time::Duration;

/// Retry settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts per call, the first included (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// The backoff base: retry `n` waits a random time up to `initial_backoff * 2^(n-1)`
    /// (default 1 s).
    pub initial_backoff: Duration,
    /// The cap on any one wait (default 20 s).
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// The wait before retry number `retry` (1 for the first retry): full jitter, exponential,
    /// capped.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = 2f64.powi(retry.saturating_sub(1).min(30) as i32);
        let ceiling =
            (self.initial_backoff.as_secs_f64() * exp).min(self.max_backoff.as_secs_f64());
        Duration::from_secs_f64(ceiling * random_fraction())
    }
}

/// A number in `[0, 1)`.
fn random_fraction() -> f64 {
    let mut bytes = [0u8; 8];
    crate::fill_random(&mut bytes);
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// Why a failure may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// The service asked to slow down.
    Throttling,
    /// A transient server or connection failure.
    Transient,
    /// A timeout (costs the quota more).
    Timeout,
}

/// Error codes AWS services use for throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes AWS services use for transient failures.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
];

/// Whether a service error is retried, and why: modelled `@retryable` errors, throttling codes
/// and 429, transient codes and 500/502/503/504. Nothing else (validation, other 4xx).
pub(crate) fn classify<E: OperationError>(status: u16, error: &E) -> Option<RetryKind> {
    if error.is_throttling() {
        return Some(RetryKind::Throttling);
    }
    if error.is_retryable() {
        return Some(RetryKind::Transient);
    }
    let code = error.code().unwrap_or("");
    if status == 429 || THROTTLING_CODES.contains(&code) {
        return Some(RetryKind::Throttling);
    }
    if matches!(status, 500 | 502 | 503 | 504) || TRANSIENT_CODES.contains(&code) {
        return Some(RetryKind::Transient);
    }
    None
}

/// The retry quota, shared by every call of one client: each retry takes tokens (more for a
/// timeout), each success gives some back. When it runs dry, failures are returned at once.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    tokens: Mutex<u32>,
}

const CAPACITY: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_COST: u32 = 10;
const SUCCESS_REFUND: u32 = 1;

impl Default for TokenBucket {
    fn default() -> Self {
        TokenBucket {
            tokens: Mutex::new(CAPACITY),
        }
    }
}

impl TokenBucket {
    /// Takes the cost of a retry of `kind`; `None` when the quota can't pay for it.
    pub(crate) fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout {
            TIMEOUT_COST
        } else {
            RETRY_COST
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// A call succeeded; `spent` is what its last retry took (0 if it needed none).
    pub(crate) fn success(&self, spent: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *tokens = (*tokens + if spent > 0 { spent } else { SUCCESS_REFUND }).min(CAPACITY);
    }

    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct E(&'static str, bool, bool);
    impl std::fmt::Display for E {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for E {}
    impl OperationError for E {
        fn code(&self) -> Option<&str> {
            Some(self.0)
        }
        fn request_id(&self) -> Option<&str> {
            None
        }
        fn is_retryable(&self) -> bool {
            self.1
        }
        fn is_throttling(&self) -> bool {
            self.2
        }
    }

    #[test]
    fn what_is_retried() {
        assert_eq!(
            classify(400, &E("ThrottlingException", false, false)),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify(429, &E("Whatever", false, false)),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify(400, &E("Modelled", true, false)),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify(400, &E("Modelled", true, true)),
            Some(RetryKind::Throttling)
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(
                classify(status, &E("X", false, false)),
                Some(RetryKind::Transient)
            );
        }
        for status in [400, 401, 403, 404, 409, 413, 501] {
            assert_eq!(
                classify(status, &E("ValidationException", false, false)),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn backoff_is_jittered_exponential_and_capped() {
        let r = RetryConfig {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
        };
        for retry in 1..8 {
            let ceiling =
                Duration::from_millis(100 * (1 << (retry - 1))).min(Duration::from_secs(1));
            let waits: Vec<Duration> = (0..50).map(|_| r.backoff(retry)).collect();
            assert!(waits.iter().all(|w| *w <= ceiling), "{retry}: {waits:?}");
            assert!(waits.iter().any(|w| *w != waits[0]), "jittered");
        }
        assert!(RetryConfig::default().backoff(40) <= Duration::from_secs(20));
    }

    #[test]
    fn the_quota_runs_dry_and_refills() {
        let b = TokenBucket::default();
        let mut taken = 0;
        while b.acquire(RetryKind::Transient).is_some() {
            taken += 1;
        }
        assert_eq!(taken, 100);
        assert_eq!(b.acquire(RetryKind::Timeout), None);
        b.success(5);
        assert_eq!(b.available(), 5);
        b.success(0);
        assert_eq!(b.available(), 6);
        assert!(b.acquire(RetryKind::Transient).is_some());
    }
}
