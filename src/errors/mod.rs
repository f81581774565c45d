//! One error type for everything `execute` can fail with, turned into the Python
//! exception hierarchy (generated from spec/errors.yaml) once the GIL is held again.
//!
//! Service errors are classified by the error code the protocol carries
//! (`ProvideErrorMetadata::code`), transport errors by the SDK's typed variants and the
//! typed source chain: never by searching debug text. The conversion is generic over the
//! SDK's error type, so a new operation's `?` compiles without listing its error here;
//! the few typed details (a failed condition's item, a transaction's reasons) are read by
//! downcasting to the operation errors that carry them.
//!
//! Every message names what failed (`get_item on table 'orders'`, set by the send layer
//! with [`Error::during`]) and keeps DynamoDB's own message and request id.
//!
//! Layout: this file is the error as data (it depends on nothing but the wire's data
//! types); `to_python.rs` turns it into the Python exception; `classes.rs` holds the
//! exception classes written in Python and `invalid`, the error for a rejected argument,
//! which the wire encoder raises too (so it must not depend on this file).

use std::any::Any;
use std::error::Error as StdError;
use std::fmt::Debug;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::CancellationReason;
use crate::wire::{Item, ReadOptions};

pub mod classes;
mod to_python;

pub use classes::invalid;

/// Which Python exception an error becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Validation,
    ConditionalCheckFailed,
    TransactionCanceled,
    ResourceNotFound,
    ResourceInUse,
    Throughput,
    AccessDenied,
    Credentials,
    Connection,
    /// The SDK's connect, read or operation timeout ran out
    /// (`RequestTimeoutException`: a `ConnectionException` and a `TimeoutError`).
    RequestTimeout,
    Serialization,
    /// A service error pydynox has no dedicated class for.
    Service,
    /// Waiting for something took longer than the caller allowed (Python `TimeoutError`).
    Timeout,
    /// A client-side argument problem found only while executing
    /// (`ParamValidationException`: a `ValidationException` and a `ValueError`).
    Value,
    /// KMS envelope encryption failed (`EncryptionException`; src/kms).
    Encryption,
    /// An S3 call of an S3Attribute failed (`S3AttributeException`; src/s3).
    S3,
}

/// The writes a failed batch write did not make, in the caller's order: put items and
/// delete keys. Every write of the call not listed here was made.
#[derive(Debug, Default)]
pub struct Unprocessed {
    pub items: Vec<Item>,
    pub keys: Vec<Item>,
}

#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    /// What went wrong: DynamoDB's own message, or the transport failure.
    pub message: String,
    /// DynamoDB's request id, when a response arrived.
    pub request_id: Option<String>,
    /// What was being done, e.g. `get_item on table 'orders'` (see [`Error::during`]).
    pub context: Option<String>,
    /// Where the client sends requests (credentials stripped), for connection failures.
    pub endpoint: Option<String>,
    /// The stored item of a failed condition, when the call asked for it.
    pub item: Option<Item>,
    /// Per-operation reasons of a cancelled transaction.
    pub reasons: Vec<CancellationReason>,
    /// What a failed batch write did not write (boxed: rare, and keeps `Error` small).
    pub unprocessed: Option<Box<Unprocessed>>,
    /// How attached items are decoded (the client's `exact_numbers`).
    pub read: ReadOptions,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            request_id: None,
            context: None,
            endpoint: None,
            item: None,
            reasons: Vec::new(),
            unprocessed: None,
            read: ReadOptions::default(),
        }
    }

    /// A service error from its code and message: the mapping both request paths use
    /// (the SDK's parsed errors and the direct path's, src/transport/direct).
    pub fn service(code: &str, message: Option<&str>) -> Self {
        let message = match message {
            Some(m) if !m.is_empty() => m.to_string(),
            _ => code.to_string(),
        };
        let mut out = Error::new(kind_of_code(code), message);
        if out.kind == ErrorKind::Service {
            out.message = format!("{code}: {}", out.message);
        }
        out
    }

    /// Names the call that failed and takes the client's endpoint and read options (the
    /// send layer, `crate::ops::send`, calls it for every request).
    /// An outer call's name replaces an inner step's (`count on table 'x'`, not the
    /// `scan` it is made of).
    pub fn during(mut self, endpoint: &str, read: ReadOptions, context: impl FnOnce() -> String) -> Self {
        self.context = Some(context());
        if self.endpoint.is_none() {
            self.endpoint = Some(endpoint.to_owned());
        }
        self.read = read;
        self
    }

    /// The text the exception carries.
    pub fn render(&self) -> String {
        let mut text = match (self.kind, &self.endpoint, &self.context) {
            // "Connection failed" is 0.21.0's wording, which users' code matches.
            (ErrorKind::Connection, Some(endpoint), Some(context)) => {
                format!("Connection failed to DynamoDB at {endpoint} ({context}): {}", self.message)
            }
            (ErrorKind::Connection, Some(endpoint), None) => {
                format!("Connection failed to DynamoDB at {endpoint}: {}", self.message)
            }
            (ErrorKind::Connection, None, Some(context)) => format!("Connection failed ({context}): {}", self.message),
            (ErrorKind::Connection, None, None) => format!("Connection failed: {}", self.message),
            (ErrorKind::RequestTimeout, Some(endpoint), Some(context)) => {
                format!("{context}: DynamoDB at {endpoint} did not answer in time: {}", self.message)
            }
            (_, _, Some(context)) => format!("{context}: {}", self.message),
            (_, _, None) => self.message.clone(),
        };
        if let Some(id) = &self.request_id {
            text.push_str(&format!(" (request id: {id})"));
        }
        text
    }

}

/// `"get_item on table 'orders'"`, `"query on index 'by_email' of table 'users'"`.
pub fn on_table(operation: &str, table: &str, index: Option<&str>) -> String {
    match index {
        Some(index) => format!("{operation} on index '{index}' of table '{table}'"),
        None => format!("{operation} on table '{table}'"),
    }
}

fn kind_of_code(code: &str) -> ErrorKind {
    match code {
        "ValidationException" | "SerializationException" | "ItemCollectionSizeLimitExceededException" => ErrorKind::Validation,
        "ConditionalCheckFailedException" => ErrorKind::ConditionalCheckFailed,
        "TransactionCanceledException" => ErrorKind::TransactionCanceled,
        "ResourceNotFoundException" | "TableNotFoundException" => ErrorKind::ResourceNotFound,
        "ResourceInUseException" | "TableAlreadyExistsException" | "TableInUseException" => ErrorKind::ResourceInUse,
        "ProvisionedThroughputExceededException" | "ThrottlingException" | "RequestLimitExceeded" => ErrorKind::Throughput,
        "AccessDeniedException" => ErrorKind::AccessDenied,
        "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "IncompleteSignatureException"
        | "MissingAuthenticationTokenException"
        | "ExpiredTokenException" => ErrorKind::Credentials,
        _ => ErrorKind::Service,
    }
}

/// True when a credentials provider failure is anywhere in the source chain.
fn caused_by_credentials(err: &(dyn StdError + 'static)) -> bool {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if e.is::<CredentialsError>() {
            return true;
        }
        cur = e.source();
    }
    false
}

/// Renders an error's causes, which is where the SDK puts the useful part.
fn chain_message(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !parts.contains(&s) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// The stored item a failed condition returned, for the operations that can carry one.
fn condition_item(err: &dyn Any) -> Option<&Item> {
    use aws_sdk_dynamodb::operation::{delete_item::DeleteItemError, put_item::PutItemError, update_item::UpdateItemError};
    if let Some(PutItemError::ConditionalCheckFailedException(e)) = err.downcast_ref::<PutItemError>() {
        return e.item();
    }
    if let Some(DeleteItemError::ConditionalCheckFailedException(e)) = err.downcast_ref::<DeleteItemError>() {
        return e.item();
    }
    if let Some(UpdateItemError::ConditionalCheckFailedException(e)) = err.downcast_ref::<UpdateItemError>() {
        return e.item();
    }
    None
}

/// The per-operation reasons of a cancelled transaction.
fn cancellation_reasons(err: &dyn Any) -> &[CancellationReason] {
    use aws_sdk_dynamodb::operation::{transact_get_items::TransactGetItemsError, transact_write_items::TransactWriteItemsError};
    if let Some(TransactWriteItemsError::TransactionCanceledException(e)) = err.downcast_ref::<TransactWriteItemsError>() {
        return e.cancellation_reasons();
    }
    if let Some(TransactGetItemsError::TransactionCanceledException(e)) = err.downcast_ref::<TransactGetItemsError>() {
        return e.cancellation_reasons();
    }
    &[]
}

/// DynamoDB's request id from a raw response, when the response type is the SDK's.
fn response_request_id<R: 'static>(raw: Option<&R>) -> Option<String> {
    let raw = raw? as &dyn Any;
    raw.downcast_ref::<aws_smithy_runtime_api::http::Response>()
        .and_then(|r| r.request_id())
        .map(str::to_owned)
}

impl<E, R> From<SdkError<E, R>> for Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: Debug + Send + Sync + 'static,
{
    fn from(err: SdkError<E, R>) -> Self {
        let request_id = response_request_id(err.raw_response());
        let mut out = match &err {
            SdkError::ServiceError(service) => {
                let e = service.err();
                let mut out = Error::service(e.code().unwrap_or("UnknownError"), e.message());
                out.item = condition_item(e).cloned();
                out.reasons = cancellation_reasons(e).to_vec();
                out.request_id = e.meta().request_id().map(str::to_owned);
                out
            }
            SdkError::TimeoutError(_) => Error::new(ErrorKind::RequestTimeout, chain_message(&err)),
            SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_) if caused_by_credentials(&err) => {
                Error::new(ErrorKind::Credentials, chain_message(&err))
            }
            SdkError::DispatchFailure(d) if d.is_timeout() => Error::new(ErrorKind::RequestTimeout, chain_message(&err)),
            SdkError::DispatchFailure(_) => Error::new(ErrorKind::Connection, chain_message(&err)),
            SdkError::ResponseError(_) => Error::new(ErrorKind::Service, format!("unreadable response from DynamoDB: {}", chain_message(&err))),
            _ => Error::new(ErrorKind::Service, chain_message(&err)),
        };
        if out.request_id.is_none() {
            out.request_id = request_id;
        }
        out
    }
}

/// `"table 'a'"` or `"tables 'a', 'b'"`: the tables a multi-table call touches, each once.
pub fn tables<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    let quoted: Vec<String> = seen.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        1 => format!("table {}", quoted[0]),
        _ => format!("tables {}", quoted.join(", ")),
    }
}
