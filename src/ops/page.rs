//! The page layer: the request a paginated call repeats (Query or Scan) and the fetch of
//! one page of it, through the send layer (so on the direct path when the client has one).
//! The pager (`crate::pager`), `count` and `parallel_scan` all fetch their pages here.

use aws_sdk_dynamodb::operation::query::builders::QueryInputBuilder;
use aws_sdk_dynamodb::operation::scan::builders::ScanInputBuilder;
use aws_sdk_dynamodb::types::ConsumedCapacity;
use bytes::Bytes;

use crate::bindings::OperationMetrics;
use crate::errors::Error;
use crate::ops::send::{About, Call, Raw, Sent};
use crate::wire::write::body::Body;
use crate::wire::Item;

/// The request a paginated call repeats, page after page.
pub enum PageRequest {
    Query(QueryInputBuilder),
    Scan(ScanInputBuilder),
}

impl PageRequest {
    /// The table (and index) it reads, for error messages.
    pub fn about(&self) -> About {
        let (table, index) = self.reads();
        About::Table { table: table.unwrap_or("?").to_owned(), index: index.map(str::to_owned) }
    }

    /// The table and the index it reads.
    pub fn reads(&self) -> (Option<&str>, Option<&str>) {
        let (table, index) = match self {
            PageRequest::Query(q) => (q.get_table_name(), q.get_index_name()),
            PageRequest::Scan(s) => (s.get_table_name(), s.get_index_name()),
        };
        (table.as_deref(), index.as_deref())
    }

    /// Fetches the page starting after `start` (the first when None) with at most `limit`
    /// items, as its raw body: decoding is the caller's (with the GIL, or only its metadata).
    pub async fn fetch(&self, call: &Call, start: Option<Item>, limit: Option<i32>) -> Result<Raw, Error> {
        let direct = call.wants_direct().then(|| self.direct_body(start.as_ref(), limit));
        match self {
            PageRequest::Query(q) => {
                let send = move |sdk: aws_sdk_dynamodb::Client| {
                    let request = q.clone().set_exclusive_start_key(start).set_limit(limit);
                    async move { request.send_with(&sdk).await }
                };
                call.send("Query", direct, send).await
            }
            PageRequest::Scan(s) => {
                let send = move |sdk: aws_sdk_dynamodb::Client| {
                    let request = s.clone().set_exclusive_start_key(start).set_limit(limit);
                    async move { request.send_with(&sdk).await }
                };
                call.send("Scan", direct, send).await
            }
        }
    }

    /// One page's request JSON for the direct path (ADR 12): the fields the SDK would
    /// serialize, starting at `start` and asking for at most `limit` items. Built from the
    /// builder on each page, without the GIL: a few microseconds against a page of items.
    fn direct_body(&self, start: Option<&Item>, limit: Option<i32>) -> Bytes {
        let mut body = Body::new();
        match self {
            PageRequest::Query(q) => {
                body.str("TableName", q.get_table_name().as_deref())
                    .str("IndexName", q.get_index_name().as_deref())
                    .bool("ConsistentRead", *q.get_consistent_read())
                    .str("KeyConditionExpression", q.get_key_condition_expression().as_deref())
                    .str("FilterExpression", q.get_filter_expression().as_deref())
                    .str("ProjectionExpression", q.get_projection_expression().as_deref())
                    .names("ExpressionAttributeNames", q.get_expression_attribute_names().as_ref())
                    .item("ExpressionAttributeValues", q.get_expression_attribute_values().as_ref())
                    .bool("ScanIndexForward", *q.get_scan_index_forward())
                    .str("Select", q.get_select().as_ref().map(|s| s.as_str()))
                    .str("ReturnConsumedCapacity", q.get_return_consumed_capacity().as_ref().map(|c| c.as_str()));
            }
            PageRequest::Scan(s) => {
                body.str("TableName", s.get_table_name().as_deref())
                    .str("IndexName", s.get_index_name().as_deref())
                    .bool("ConsistentRead", *s.get_consistent_read())
                    .str("FilterExpression", s.get_filter_expression().as_deref())
                    .str("ProjectionExpression", s.get_projection_expression().as_deref())
                    .names("ExpressionAttributeNames", s.get_expression_attribute_names().as_ref())
                    .item("ExpressionAttributeValues", s.get_expression_attribute_values().as_ref())
                    .int("Segment", *s.get_segment())
                    .int("TotalSegments", *s.get_total_segments())
                    .str("Select", s.get_select().as_ref().map(|s| s.as_str()))
                    .str("ReturnConsumedCapacity", s.get_return_consumed_capacity().as_ref().map(|c| c.as_str()));
            }
        }
        body.item("ExclusiveStartKey", start).int("Limit", limit);
        body.finish()
    }
}

/// A page's metrics: consumed capacity as read units, and its counts.
pub fn metrics(sent: &Sent, capacity: Option<&ConsumedCapacity>, count: Option<i32>, scanned_count: Option<i32>) -> OperationMetrics {
    let mut m = sent.read_metrics(capacity);
    m.items_count = Some(i64::from(count.unwrap_or(0)));
    m.scanned_count = Some(i64::from(scanned_count.unwrap_or(0)));
    m
}

/// One page read on tokio without decoding its items (count, parallel_scan): its body and
/// what steers the next request.
pub struct BodyPage {
    pub body: Bytes,
    /// Present when there is another page.
    pub last_evaluated_key: Option<Item>,
    pub count: i32,
    pub metrics: OperationMetrics,
}

/// Fetches the page starting after `start` and records its metrics on the client, as the
/// pager does for each page it decodes.
pub async fn fetch_meta(call: &Call, request: &PageRequest, start: Option<Item>) -> Result<BodyPage, Error> {
    let raw = request.fetch(call, start, None).await?;
    let meta = call.meta(&raw)?;
    let m = metrics(&raw.sent, meta.consumed_capacity.first(), meta.count, meta.scanned_count);
    call.record(&m);
    Ok(BodyPage { body: raw.body, last_evaluated_key: meta.last_evaluated_key, count: meta.count.unwrap_or(0), metrics: m })
}

/// Adds one page's metrics into a running total for a multi-page call.
pub fn accumulate(total: &mut OperationMetrics, page: &OperationMetrics) {
    let add = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    };
    total.consumed_rcu = add(total.consumed_rcu, page.consumed_rcu);
    total.items_count = Some(total.items_count.unwrap_or(0) + page.items_count.unwrap_or(0));
    total.scanned_count = Some(total.scanned_count.unwrap_or(0) + page.scanned_count.unwrap_or(0));
    if page.request_id.is_some() {
        total.request_id = page.request_id.clone();
    }
}
