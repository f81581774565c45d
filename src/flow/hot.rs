//! The hot-partition detector behind `pydynox.diagnostics.HotPartitionDetector`.
//!
//! It counts reads and writes per (table, partition key value) over a sliding window and
//! says when a key reaches its threshold: once per window, so a key that stays hot warns
//! again a window later rather than on every request. Keys come from each request's body
//! (`flow::keys`), whichever path it took; the warning itself is logged by the caller
//! (`ops::flow_hook` through Python's `logging`, logger `pydynox.diagnostics`).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::rate::Kind;

/// Thresholds of one table, overriding the detector's (ModelConfig's `hot_partition_*`).
#[derive(Clone, Copy, Default)]
struct Override {
    writes: Option<u64>,
    reads: Option<u64>,
}

#[derive(Default)]
struct Track {
    /// When each counted access happened, oldest first; at most the threshold's worth.
    times: VecDeque<Instant>,
    warned: Option<Instant>,
}

#[derive(Default)]
struct State {
    keys: HashMap<(String, String, Kind), Track>,
    overrides: HashMap<String, Override>,
    /// Accesses since stale keys were last dropped.
    since_prune: usize,
}

/// A key that just reached its threshold.
pub struct Hot {
    pub table: String,
    pub key: String,
    pub kind: Kind,
    pub count: u64,
    pub window_seconds: u64,
}

pub struct Detector {
    pub writes_threshold: u64,
    pub reads_threshold: u64,
    pub window_seconds: u64,
    window: Duration,
    state: Mutex<State>,
}

impl Detector {
    pub fn new(writes_threshold: u64, reads_threshold: u64, window_seconds: u64) -> Self {
        Detector {
            writes_threshold,
            reads_threshold,
            window_seconds,
            window: Duration::from_secs(window_seconds),
            state: Mutex::new(State::default()),
        }
    }

    fn threshold(&self, state: &State, table: &str, kind: Kind) -> u64 {
        let o = state.overrides.get(table).copied().unwrap_or_default();
        match kind {
            Kind::Write => o.writes.unwrap_or(self.writes_threshold),
            Kind::Read => o.reads.unwrap_or(self.reads_threshold),
        }
    }

    pub fn set_table_thresholds(&self, table: &str, writes: Option<u64>, reads: Option<u64>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.overrides.insert(table.to_string(), Override { writes, reads });
    }

    /// Counts one access; returns the key when this access made it reach its threshold.
    pub fn record(&self, table: &str, key: &str, kind: Kind) -> Option<Hot> {
        self.record_at(table, key, kind, Instant::now())
    }

    fn record_at(&self, table: &str, key: &str, kind: Kind, now: Instant) -> Option<Hot> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let threshold = self.threshold(&state, table, kind).max(1) as usize;
        state.since_prune += 1;
        if state.since_prune >= 4096 {
            state.since_prune = 0;
            let window = self.window;
            state.keys.retain(|_, t| t.times.back().is_some_and(|last| now.saturating_duration_since(*last) < window));
        }
        let track = state.keys.entry((table.to_string(), key.to_string(), kind)).or_default();
        while track.times.front().is_some_and(|t| now.saturating_duration_since(*t) >= self.window) {
            track.times.pop_front();
        }
        track.times.push_back(now);
        while track.times.len() > threshold {
            track.times.pop_front();
        }
        let count = track.times.len();
        let quiet = track.warned.is_none_or(|w| now.saturating_duration_since(w) >= self.window);
        if count >= threshold && quiet {
            track.warned = Some(now);
            return Some(Hot { table: table.to_string(), key: key.to_string(), kind, count: count as u64, window_seconds: self.window_seconds });
        }
        None
    }

    /// Accesses of a key within the window (up to its threshold, which is all it keeps).
    pub fn count(&self, table: &str, key: &str, kind: Kind) -> u64 {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        state
            .keys
            .get(&(table.to_string(), key.to_string(), kind))
            .map_or(0, |t| t.times.iter().filter(|at| now.saturating_duration_since(**at) < self.window).count() as u64)
    }

    pub fn clear(&self) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = State::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_once_when_a_key_reaches_its_threshold_within_the_window() {
        let d = Detector::new(3, 10, 60);
        let now = Instant::now();
        assert!(d.record_at("t", "a", Kind::Write, now).is_none());
        assert!(d.record_at("t", "a", Kind::Write, now).is_none());
        let hot = d.record_at("t", "a", Kind::Write, now).expect("third write reaches 3");
        assert_eq!((hot.table.as_str(), hot.key.as_str(), hot.count), ("t", "a", 3));
        assert!(d.record_at("t", "a", Kind::Write, now).is_none(), "warned once per window");
        assert!(d.record_at("t", "a", Kind::Write, now + Duration::from_secs(61)).is_none(), "old accesses left the window");
    }

    #[test]
    fn spread_keys_and_reads_do_not_count_together() {
        let d = Detector::new(2, 2, 60);
        let now = Instant::now();
        for k in ["a", "b", "c"] {
            assert!(d.record_at("t", k, Kind::Write, now).is_none());
        }
        assert!(d.record_at("t", "a", Kind::Read, now).is_none());
        assert!(d.record_at("u", "a", Kind::Write, now).is_none());
    }

    #[test]
    fn a_table_override_replaces_the_threshold() {
        let d = Detector::new(100, 100, 60);
        d.set_table_thresholds("t", Some(1), None);
        assert!(d.record_at("t", "a", Kind::Write, Instant::now()).is_some());
        assert!(d.record_at("t", "a", Kind::Read, Instant::now()).is_none());
    }
}
