//! Endpoint discovery (`aws.api#clientEndpointDiscovery`): for an operation marked
//! `aws.api#clientDiscoveredEndpoint(required: true)`, the client first asks the service's
//! discovery operation (`DescribeEndpoints`) where to send it, caches the answer for the
//! period the service gives, and sends the call there. A call that comes back with the service's
//! invalid-endpoint error evicts the entry, so the next call discovers again. When a refresh
//! fails, an expired entry is used rather than none (the trait's spec). A configured
//! `endpoint_url` turns discovery off.

use super::{ConstructionError, SdkError};
use crate::endpoint::Endpoint;
use crate::Operation;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the client needs to discover the endpoint of one call of an operation.
pub struct Discovery<D: Operation, E> {
    /// The operation name and its `@clientEndpointDiscoveryId` values: with the access key id,
    /// the cache key.
    pub key: String,
    /// The discovery operation's input (`Operation` and `Identifiers`, where it has them).
    pub input: D::Input,
    /// The discovered endpoints in the discovery operation's output, most preferred first:
    /// (address, cache period in minutes).
    pub endpoints: fn(&D::Output) -> Vec<(String, i64)>,
    /// Whether an error of the operation says its endpoint is no longer valid.
    pub invalid: fn(&E) -> bool,
}

/// The endpoints discovered so far, by cache key; least recently used entries go first when it
/// is full.
#[derive(Debug)]
pub struct EndpointCache {
    entries: Mutex<Vec<Entry>>,
    limit: usize,
}

#[derive(Debug)]
struct Entry {
    key: String,
    address: String,
    expires: Instant,
    used: Instant,
}

/// A cached endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    /// The address (a host, or a URL).
    pub address: String,
    /// Whether its cache period has not ended.
    pub fresh: bool,
}

impl Default for EndpointCache {
    fn default() -> Self {
        EndpointCache::new(1000)
    }
}

impl EndpointCache {
    /// A cache of at most `limit` entries (the spec's default is 1000).
    pub fn new(limit: usize) -> Self {
        EndpointCache {
            entries: Mutex::new(Vec::new()),
            limit: limit.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // A panic while holding the lock leaves the entries consistent (each change is one
        // push, remove or assignment), so a poisoned lock is still usable.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The entry for `key`, if any, fresh or expired.
    pub fn get(&self, key: &str) -> Option<Cached> {
        let now = Instant::now();
        let mut entries = self.lock();
        let entry = entries.iter_mut().find(|e| e.key == key)?;
        entry.used = now;
        Some(Cached {
            address: entry.address.clone(),
            fresh: now < entry.expires,
        })
    }

    /// Caches `address` for `key`, for `minutes` (at least one).
    pub fn put(&self, key: &str, address: &str, minutes: i64) {
        let now = Instant::now();
        let period = Duration::from_secs(60 * u64::try_from(minutes.max(1)).unwrap_or(1));
        let mut entries = self.lock();
        entries.retain(|e| e.key != key);
        if entries.len() >= self.limit {
            if let Some(oldest) = entries
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.used)
                .map(|(i, _)| i)
            {
                entries.remove(oldest);
            }
        }
        entries.push(Entry {
            key: key.to_owned(),
            address: address.to_owned(),
            expires: now + period,
            used: now,
        });
    }

    /// Forgets `key`'s endpoint.
    pub fn evict(&self, key: &str) {
        self.lock().retain(|e| e.key != key);
    }

    /// How many endpoints are cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<D: Operation, E> Discovery<D, E> {
    /// The endpoint to use after a discovery call (`described`: its output, or why it failed):
    /// the first endpoint listed, cached under `key`; else the expired entry `stale`, if any.
    pub(crate) fn settle(
        &self,
        cache: &EndpointCache,
        key: &str,
        stale: Option<Cached>,
        described: Result<&D::Output, String>,
    ) -> Result<Endpoint, ConstructionError> {
        let found = described.and_then(|output| {
            (self.endpoints)(output)
                .into_iter()
                .next()
                .ok_or_else(|| "the service listed no endpoints".to_owned())
        });
        let address = match (found, stale) {
            (Ok((address, minutes)), _) => {
                cache.put(key, &address, minutes);
                address
            }
            (Err(_), Some(stale)) => stale.address,
            (Err(why), None) => return Err(ConstructionError::EndpointDiscovery(why)),
        };
        Ok(Endpoint::from_url(url_of(&address)))
    }

    /// After the call: an error that says the endpoint is no longer valid evicts it.
    pub(crate) fn after<O>(
        &self,
        cache: &EndpointCache,
        key: &str,
        result: &Result<O, SdkError<E>>,
    ) {
        if let Err(e) = result {
            if e.service_error().is_some_and(self.invalid) {
                cache.evict(key);
            }
        }
    }
}

/// The URL of a cached endpoint.
pub(crate) fn url_of_cached(cached: &Cached) -> String {
    url_of(&cached.address)
}

/// The URL of a discovered address: the address itself when it has a scheme, else HTTPS.
fn url_of(address: &str) -> String {
    if address.contains("://") {
        address.to_owned()
    } else {
        format!("https://{address}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_evict_and_make_room() {
        let cache = EndpointCache::new(2);
        assert_eq!(cache.get("a"), None);
        cache.put("a", "a.example", 10);
        assert_eq!(
            cache.get("a"),
            Some(Cached {
                address: "a.example".into(),
                fresh: true
            })
        );
        // A period of zero or less still caches for a minute.
        cache.put("b", "b.example", 0);
        assert!(cache.get("b").is_some_and(|c| c.fresh));
        // Full: the least recently used entry (`a`, read before `b`) makes room.
        cache.put("c", "c.example", 5);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get("a"), None, "a was the least recently used");
        cache.evict("b");
        assert_eq!(cache.get("b"), None);
        assert_eq!(cache.len(), 1);
        // Replacing keeps one entry per key.
        cache.put("c", "c2.example", 5);
        assert_eq!(cache.get("c").map(|c| c.address), Some("c2.example".into()));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn addresses_become_urls() {
        assert_eq!(url_of("x.example"), "https://x.example");
        assert_eq!(url_of("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
    }
}
