//! How a request reaches DynamoDB and its response body comes back, below the operations:
//!
//! - `sdk_body.rs`: the SDK path; takes a successful response's body out of the SDK's
//!   pipeline (ADR 6), so the operation decodes the bytes itself.
//! - `direct/`: the direct path (ADR 12); signs and sends request JSON without the SDK's
//!   orchestrator.
//! - `retry_quota.rs`: the SDK path draws on the direct path's retry quota (one per client,
//!   its bucket per region), so both paths share it.
//! - `throttles.rs`: how many throttled attempts a request's retries absorbed (ADR 23).
//! - `request_tap.rs`: a copy of the request body sent, either path, for who asks (ADR 23).
//!
//! Nothing here knows about clients or operations: choosing a path, metrics and error
//! context are the send layer's job (`crate::ops::send`).

pub mod direct;
pub mod retry_quota;
pub mod request_tap;
pub mod sdk_body;
pub mod throttles;
