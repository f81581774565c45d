//! The rate limiter behind `FixedRate` and `AdaptiveRate` (python/pydynox/rate_limit.py).
//!
//! One token bucket per capacity kind (reads, writes), in capacity units per second. A
//! request reserves what requests of its kind have been consuming ([`Limiter::reserve`]),
//! before it is sent; the call then settles with what DynamoDB reported it consumed
//! ([`Limiter::settle`]). The bucket may go into debt: a reservation that leaves it below
//! zero waits until the refill pays the debt back, so waits follow a schedule (request k of
//! a busy loop starts k * units / rate after the first) whatever each request's latency.
//! The wait itself is a tokio sleep inside the request's future (`ops::flow_hook`): an
//! async call awaits it on the runtime and the event loop keeps running; a sync call
//! sleeps with the GIL released.
//!
//! Adaptive rate (ADR 23) is AIMD: it starts at half its maximum; a throttling error that
//! reaches the send layer cuts the rate of that kind to 80% (at most once per
//! [`DECREASE_GAP`], so a burst of concurrent throttles is one cut), never below the
//! minimum; every full [`INCREASE_STEP`] without a throttle adds 5% of the maximum, never
//! above it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A read (GetItem, Query, Scan, BatchGetItem, TransactGetItems) or a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Read,
    Write,
}

/// The shortest time between two decreases of an adaptive rate.
pub const DECREASE_GAP: Duration = Duration::from_secs(1);
/// How long an adaptive rate must go without a throttle for each increase.
pub const INCREASE_STEP: Duration = Duration::from_secs(1);
const DECREASE_FACTOR: f64 = 0.8;
/// A bound on one wait (a day), so a huge debt cannot overflow a `Duration`.
const LONGEST_WAIT_SECONDS: f64 = 86_400.0;
const INCREASE_SHARE: f64 = 0.05;

/// How a bucket's rate moves.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    Fixed,
    Adaptive { min: f64, max: f64 },
}

/// One kind's token bucket.
#[derive(Debug)]
struct Bucket {
    /// Units per second now.
    rate: f64,
    /// Most units the bucket holds (what may be spent at once after a quiet spell).
    burst: Option<f64>,
    mode: Mode,
    /// Units available; negative is a debt the next reservations wait for.
    tokens: f64,
    refilled: Instant,
    /// Units a request of this kind reserves: the last settled average per request.
    estimate: f64,
    /// The last throttle, or the last increase after it (adaptive only).
    calm_since: Instant,
    last_cut: Option<Instant>,
}

impl Bucket {
    fn new(rate: f64, burst: Option<f64>, mode: Mode, now: Instant) -> Self {
        let mut b = Bucket { rate, burst, mode, tokens: 0.0, refilled: now, estimate: 1.0, calm_since: now, last_cut: None };
        b.tokens = b.capacity();
        b
    }

    fn capacity(&self) -> f64 {
        self.burst.unwrap_or(self.rate)
    }

    fn refill(&mut self, now: Instant) {
        self.climb(now);
        let dt = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + dt * self.rate).min(self.capacity());
        self.refilled = now;
    }

    /// Additive increase: one step per full quiet interval since the last change.
    fn climb(&mut self, now: Instant) {
        let Mode::Adaptive { max, .. } = self.mode else { return };
        let quiet = now.saturating_duration_since(self.calm_since);
        let steps = (quiet.as_secs_f64() / INCREASE_STEP.as_secs_f64()).floor();
        if steps >= 1.0 && self.rate < max {
            self.rate = (self.rate + steps * INCREASE_SHARE * max).min(max);
            self.calm_since += INCREASE_STEP.mul_f64(steps);
        } else if self.rate >= max {
            self.calm_since = now;
        }
    }

    fn reserve(&mut self, now: Instant) -> Duration {
        self.refill(now);
        self.tokens -= self.estimate;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((-self.tokens / self.rate).min(LONGEST_WAIT_SECONDS))
        }
    }

    fn settle(&mut self, now: Instant, consumed: f64, reserved: f64, requests: u32) {
        self.refill(now);
        self.tokens = (self.tokens - (consumed - reserved)).min(self.capacity());
        if requests > 0 {
            self.estimate = (consumed / requests as f64).max(0.5);
        }
    }

    fn throttled(&mut self, now: Instant) {
        self.refill(now);
        let Mode::Adaptive { min, .. } = self.mode else { return };
        self.calm_since = now;
        if self.last_cut.is_some_and(|t| now.saturating_duration_since(t) < DECREASE_GAP) {
            return;
        }
        self.last_cut = Some(now);
        self.rate = (self.rate * DECREASE_FACTOR).max(min);
        self.tokens = self.tokens.min(self.capacity());
    }
}

/// What a limiter has counted: capacity DynamoDB reported consumed, and throttles seen.
#[derive(Default)]
struct Counters {
    consumed_rcu: AtomicU64,
    consumed_wcu: AtomicU64,
    throttles: AtomicU64,
}

fn add_f64(cell: &AtomicU64, v: f64) {
    let _ = cell.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| Some((f64::from_bits(bits) + v).to_bits()));
}

fn load_f64(cell: &AtomicU64) -> f64 {
    f64::from_bits(cell.load(Ordering::Relaxed))
}

/// A client's limiter: a bucket per limited kind (a kind without one is not limited).
pub struct Limiter {
    read: Option<Mutex<Bucket>>,
    write: Option<Mutex<Bucket>>,
    counters: Counters,
}

/// What one call reserved, settled by [`Limiter::settle`] when the call records its metrics.
#[derive(Default)]
pub struct Ledger {
    state: Mutex<[(f64, u32); 2]>,
}

impl Ledger {
    fn add(&self, kind: Kind, units: f64) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let slot = &mut s[kind as usize];
        slot.0 += units;
        slot.1 += 1;
    }

    fn take(&self) -> [(f64, u32); 2] {
        std::mem::take(&mut *self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Limiter {
    /// `FixedRate(rcu, wcu, burst)`: rates checked positive by the caller.
    pub fn fixed(rcu: Option<f64>, wcu: Option<f64>, burst: Option<f64>) -> Self {
        let now = Instant::now();
        Limiter {
            read: rcu.map(|r| Mutex::new(Bucket::new(r, burst, Mode::Fixed, now))),
            write: wcu.map(|w| Mutex::new(Bucket::new(w, burst, Mode::Fixed, now))),
            counters: Counters::default(),
        }
    }

    /// `AdaptiveRate`: each limited kind starts at half its maximum, not below its minimum.
    pub fn adaptive(max_rcu: f64, max_wcu: Option<f64>, min_rcu: f64, min_wcu: f64) -> Self {
        let now = Instant::now();
        let bucket = |max: f64, min: f64| Mutex::new(Bucket::new((max / 2.0).max(min), None, Mode::Adaptive { min, max }, now));
        Limiter { read: Some(bucket(max_rcu, min_rcu)), write: max_wcu.map(|m| bucket(m, min_wcu)), counters: Counters::default() }
    }

    fn bucket(&self, kind: Kind) -> Option<&Mutex<Bucket>> {
        match kind {
            Kind::Read => self.read.as_ref(),
            Kind::Write => self.write.as_ref(),
        }
    }

    /// Reserves one request's expected units; returns how long it must wait before sending.
    pub fn reserve(&self, kind: Kind, ledger: &Ledger) -> Duration {
        let Some(bucket) = self.bucket(kind) else { return Duration::ZERO };
        let mut b = bucket.lock().unwrap_or_else(|e| e.into_inner());
        let wait = b.reserve(Instant::now());
        ledger.add(kind, b.estimate);
        wait
    }

    /// Charges a call with what DynamoDB reported it consumed, less what it reserved.
    pub fn settle(&self, ledger: &Ledger, consumed_rcu: Option<f64>, consumed_wcu: Option<f64>) {
        let reserved = ledger.take();
        let now = Instant::now();
        for (kind, consumed) in [(Kind::Read, consumed_rcu), (Kind::Write, consumed_wcu)] {
            let (units, requests) = reserved[kind as usize];
            let consumed = consumed.unwrap_or(0.0);
            add_f64(match kind {
                Kind::Read => &self.counters.consumed_rcu,
                Kind::Write => &self.counters.consumed_wcu,
            }, consumed);
            if let Some(bucket) = self.bucket(kind) {
                if requests > 0 || consumed > 0.0 {
                    bucket.lock().unwrap_or_else(|e| e.into_inner()).settle(now, consumed, units, requests);
                }
            }
        }
    }

    /// A request of this kind was throttled.
    pub fn throttled(&self, kind: Kind) {
        self.counters.throttles.fetch_add(1, Ordering::Relaxed);
        if let Some(bucket) = self.bucket(kind) {
            bucket.lock().unwrap_or_else(|e| e.into_inner()).throttled(Instant::now());
        }
    }

    /// The rate of a kind now (None: not limited).
    pub fn rate(&self, kind: Kind) -> Option<f64> {
        self.bucket(kind).map(|b| {
            let mut b = b.lock().unwrap_or_else(|e| e.into_inner());
            b.climb(Instant::now());
            b.rate
        })
    }

    pub fn consumed(&self, kind: Kind) -> f64 {
        load_f64(match kind {
            Kind::Read => &self.counters.consumed_rcu,
            Kind::Write => &self.counters.consumed_wcu,
        })
    }

    pub fn throttle_count(&self) -> u64 {
        self.counters.throttles.load(Ordering::Relaxed)
    }

    /// Zeroes the counters (the rates and buckets stay as they are).
    pub fn reset_counters(&self) {
        self.counters.consumed_rcu.store(0f64.to_bits(), Ordering::Relaxed);
        self.counters.consumed_wcu.store(0f64.to_bits(), Ordering::Relaxed);
        self.counters.throttles.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_bucket_schedules_requests_at_its_rate() {
        let now = Instant::now();
        let mut b = Bucket::new(10.0, Some(1.0), Mode::Fixed, now);
        assert_eq!(b.reserve(now), Duration::ZERO);
        // Each further unit waits 1/10 s more than the one before it.
        let waits: Vec<f64> = (0..3).map(|_| b.reserve(now).as_secs_f64()).collect();
        for (i, w) in waits.iter().enumerate() {
            assert!((w - 0.1 * (i + 1) as f64).abs() < 1e-9, "{waits:?}");
        }
    }

    #[test]
    fn settling_charges_what_was_consumed_beyond_the_reservation() {
        let now = Instant::now();
        let mut b = Bucket::new(10.0, Some(5.0), Mode::Fixed, now);
        b.reserve(now);
        b.settle(now, 4.0, 1.0, 1);
        assert!((b.tokens - 1.0).abs() < 1e-9, "{}", b.tokens);
        assert_eq!(b.estimate, 4.0);
    }

    #[test]
    fn adaptive_cuts_once_per_gap_and_climbs_back_when_calm() {
        let now = Instant::now();
        let mut b = Bucket::new(50.0, None, Mode::Adaptive { min: 1.0, max: 100.0 }, now);
        b.throttled(now);
        b.throttled(now + Duration::from_millis(10));
        assert!((b.rate - 40.0).abs() < 1e-9, "{}", b.rate);
        b.throttled(now + DECREASE_GAP);
        assert!((b.rate - 32.0).abs() < 1e-9, "{}", b.rate);
        b.climb(now + DECREASE_GAP + INCREASE_STEP * 2);
        assert!((b.rate - 42.0).abs() < 1e-9, "{}", b.rate);
        b.climb(now + DECREASE_GAP + INCREASE_STEP * 100);
        assert_eq!(b.rate, 100.0);
    }

    #[test]
    fn adaptive_never_goes_below_its_minimum() {
        let now = Instant::now();
        let mut b = Bucket::new(5.0, None, Mode::Adaptive { min: 4.5, max: 10.0 }, now);
        for i in 0..5 {
            b.throttled(now + DECREASE_GAP * i);
        }
        assert_eq!(b.rate, 4.5);
    }
}
