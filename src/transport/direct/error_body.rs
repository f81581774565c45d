//! Error responses of AWS JSON 1.0: the error code (the `x-amzn-errortype` header, else
//! `__type` / `code` in the body), the message, for a failed condition the stored item, and
//! for a cancelled transaction its `CancellationReasons`.
//! Anything unreadable yields what could be read; never an error of its own, never a panic.

use aws_sdk_dynamodb::types::CancellationReason;
use serde::Deserialize;

use crate::wire::Item;

/// What an error response says.
#[derive(Debug, Default, PartialEq)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub item: Option<Item>,
    /// A cancelled transaction's per-operation reasons, in order (as the SDK decodes them).
    pub reasons: Vec<CancellationReason>,
}

#[derive(Deserialize, Default)]
struct Wire {
    #[serde(rename = "__type")]
    type_: Option<String>,
    code: Option<String>,
    #[serde(rename = "Code")]
    code_upper: Option<String>,
    message: Option<String>,
    #[serde(rename = "Message")]
    message_upper: Option<String>,
    #[serde(rename = "errorMessage")]
    error_message: Option<String>,
}

/// Read apart from the rest, so a damaged item does not lose the code and message.
#[derive(Deserialize)]
struct WithItem {
    #[serde(rename = "Item")]
    item: Option<crate::wire::read::WireItem>,
}

/// Read apart too: a damaged reason list loses only the reasons.
#[derive(Deserialize)]
struct WithReasons {
    #[serde(rename = "CancellationReasons")]
    reasons: Option<Vec<WireReason>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireReason {
    code: Option<String>,
    message: Option<String>,
    item: Option<crate::wire::read::WireItem>,
}

/// `aws.dynamodb#ConditionalCheckFailedException` -> `ConditionalCheckFailedException`;
/// `Foo:http://internal/` (the header's form) -> `Foo`.
pub fn sanitize_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    code.rsplit('#').next().unwrap_or(code).trim()
}

pub fn parse(header_code: Option<&str>, body: &[u8]) -> ErrorBody {
    let wire: Wire = serde_json::from_slice(body).unwrap_or_default();
    let code = header_code
        .or(wire.type_.as_deref())
        .or(wire.code.as_deref())
        .or(wire.code_upper.as_deref())
        .map(sanitize_code)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    ErrorBody {
        code,
        message: wire.message.or(wire.message_upper).or(wire.error_message),
        item: serde_json::from_slice::<WithItem>(body).ok().and_then(|w| w.item).map(|i| i.0),
        reasons: cancellation_reasons(body),
    }
}

fn cancellation_reasons(body: &[u8]) -> Vec<CancellationReason> {
    let Some(reasons) = serde_json::from_slice::<WithReasons>(body).ok().and_then(|w| w.reasons) else {
        return Vec::new();
    };
    reasons
        .into_iter()
        .map(|r| CancellationReason::builder().set_code(r.code).set_message(r.message).set_item(r.item.map(|i| i.0)).build())
        .collect()
}
