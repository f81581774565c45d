//! Building `OperationMetrics` from what a response reports.

use std::time::Instant;

use aws_sdk_dynamodb::types::ConsumedCapacity;

use crate::bindings::OperationMetrics;

/// Milliseconds since `started`.
pub fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Metrics of a read: consumed capacity counts as read units.
pub fn read(started: Instant, capacity: Option<&ConsumedCapacity>, request_id: Option<&str>) -> OperationMetrics {
    OperationMetrics {
        duration_ms: elapsed_ms(started),
        consumed_rcu: capacity.and_then(|c| c.read_capacity_units().or(c.capacity_units())),
        request_id: request_id.map(str::to_owned),
        ..Default::default()
    }
}

/// Metrics of a write: consumed capacity counts as write units.
pub fn write(started: Instant, capacity: Option<&ConsumedCapacity>, request_id: Option<&str>) -> OperationMetrics {
    OperationMetrics {
        duration_ms: elapsed_ms(started),
        consumed_wcu: capacity.and_then(|c| c.write_capacity_units().or(c.capacity_units())),
        request_id: request_id.map(str::to_owned),
        ..Default::default()
    }
}

/// Sums capacity units over several responses (batches, pages, transactions).
pub fn sum_units<'a>(capacities: impl IntoIterator<Item = &'a ConsumedCapacity>) -> Option<f64> {
    let mut any = false;
    let total = capacities.into_iter().filter_map(|c| c.capacity_units()).inspect(|_| any = true).sum();
    any.then_some(total)
}
