//! One error type for everything `execute` can fail with, turned into the Python
//! exception hierarchy (generated from spec/errors.yaml) once the GIL is held again.
//!
//! Service errors are classified by the error code the protocol carries
//! (`ProvideErrorMetadata::code`), transport errors by the SDK's typed variants and the
//! typed source chain: never by searching debug text.

use std::error::Error as StdError;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::CancellationReason;
use pyo3::exceptions::{PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::bindings as exc;
use crate::convert::{item_to_py, Item, ReadOptions};

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
    Serialization,
    /// A service error pydynox has no dedicated class for.
    Service,
    /// Waiting for something took longer than the caller allowed (Python `TimeoutError`).
    Timeout,
    /// A client-side argument problem found only while executing (Python `ValueError`).
    Value,
}

#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// The stored item of a failed condition, when the call asked for it.
    pub item: Option<Item>,
    /// Per-operation reasons of a cancelled transaction.
    pub reasons: Vec<CancellationReason>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), item: None, reasons: Vec::new() }
    }

    /// The Python exception for this error. Attached items are decoded with `read`.
    pub fn into_pyerr_with(self, py: Python<'_>, read: ReadOptions) -> PyErr {
        let msg = self.message;
        let err = match self.kind {
            ErrorKind::Validation => exc::ValidationException::new_err(msg),
            ErrorKind::ConditionalCheckFailed => exc::ConditionalCheckFailedException::new_err(msg),
            ErrorKind::TransactionCanceled => exc::TransactionCanceledException::new_err(msg),
            ErrorKind::ResourceNotFound => exc::ResourceNotFoundException::new_err(msg),
            ErrorKind::ResourceInUse => exc::ResourceInUseException::new_err(msg),
            ErrorKind::Throughput => exc::ProvisionedThroughputExceededException::new_err(msg),
            ErrorKind::AccessDenied => exc::AccessDeniedException::new_err(msg),
            ErrorKind::Credentials => exc::CredentialsException::new_err(msg),
            ErrorKind::Connection => exc::ConnectionException::new_err(msg),
            ErrorKind::Serialization => exc::SerializationException::new_err(msg),
            ErrorKind::Service => exc::PydynoxException::new_err(msg),
            ErrorKind::Timeout => PyTimeoutError::new_err(msg),
            ErrorKind::Value => PyValueError::new_err(msg),
        };
        // Attributes the spec declares for these classes are always present (None or []).
        let attach = || -> PyResult<()> {
            let value = err.value(py);
            match self.kind {
                ErrorKind::ConditionalCheckFailed => {
                    let item = match &self.item {
                        Some(item) => item_to_py(py, item, read)?.into_any(),
                        None => py.None().into_bound(py),
                    };
                    value.setattr("item", item)
                }
                ErrorKind::TransactionCanceled => value.setattr("reasons", reasons_to_py(py, &self.reasons, read)?),
                _ => Ok(()),
            }
        };
        match attach() {
            Ok(()) => err,
            Err(decode_error) => decode_error,
        }
    }

    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        self.into_pyerr_with(py, ReadOptions::default())
    }
}

fn reasons_to_py<'py>(py: Python<'py>, reasons: &[CancellationReason], read: ReadOptions) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for r in reasons {
        let d = PyDict::new(py);
        d.set_item("code", r.code())?;
        d.set_item("message", r.message())?;
        match r.item() {
            Some(item) => d.set_item("item", item_to_py(py, item, read)?)?,
            None => d.set_item("item", py.None())?,
        }
        list.append(d)?;
    }
    Ok(list)
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

/// Renders an error and its causes, which is where the SDK puts the useful part.
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

/// Typed details some operation errors carry beyond code and message.
pub trait ErrorDetails {
    fn condition_item(&self) -> Option<&Item> {
        None
    }
    fn cancellation_reasons(&self) -> &[CancellationReason] {
        &[]
    }
}

macro_rules! no_details {
    ($($ty:path),* $(,)?) => { $(impl ErrorDetails for $ty {})* };
}

macro_rules! condition_item {
    ($($ty:ident),* $(,)?) => {
        $(impl ErrorDetails for $ty {
            fn condition_item(&self) -> Option<&Item> {
                match self {
                    $ty::ConditionalCheckFailedException(e) => e.item(),
                    _ => None,
                }
            }
        })*
    };
}

use aws_sdk_dynamodb::operation::{
    batch_get_item::BatchGetItemError, batch_write_item::BatchWriteItemError, create_table::CreateTableError,
    delete_item::DeleteItemError, delete_table::DeleteTableError, describe_table::DescribeTableError,
    describe_time_to_live::DescribeTimeToLiveError, execute_statement::ExecuteStatementError, get_item::GetItemError,
    list_tables::ListTablesError, put_item::PutItemError, query::QueryError, scan::ScanError,
    transact_get_items::TransactGetItemsError, transact_write_items::TransactWriteItemsError,
    update_item::UpdateItemError, update_time_to_live::UpdateTimeToLiveError,
};

condition_item!(PutItemError, DeleteItemError, UpdateItemError);
no_details!(
    GetItemError,
    QueryError,
    ScanError,
    BatchGetItemError,
    BatchWriteItemError,
    CreateTableError,
    DeleteTableError,
    DescribeTableError,
    DescribeTimeToLiveError,
    UpdateTimeToLiveError,
    ExecuteStatementError,
    ListTablesError,
);

impl ErrorDetails for TransactWriteItemsError {
    fn cancellation_reasons(&self) -> &[CancellationReason] {
        match self {
            Self::TransactionCanceledException(e) => e.cancellation_reasons(),
            _ => &[],
        }
    }
}

impl ErrorDetails for TransactGetItemsError {
    fn cancellation_reasons(&self) -> &[CancellationReason] {
        match self {
            Self::TransactionCanceledException(e) => e.cancellation_reasons(),
            _ => &[],
        }
    }
}

impl<E, R> From<SdkError<E, R>> for Error
where
    E: ProvideErrorMetadata + ErrorDetails + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    fn from(err: SdkError<E, R>) -> Self {
        match &err {
            SdkError::ServiceError(service) => {
                let e = service.err();
                let code = e.code().unwrap_or("UnknownError");
                let message = match e.message() {
                    Some(m) if !m.is_empty() => m.to_string(),
                    _ => code.to_string(),
                };
                let mut out = Error::new(kind_of_code(code), message);
                if out.kind == ErrorKind::Service {
                    out.message = format!("{code}: {}", out.message);
                }
                out.item = e.condition_item().cloned();
                out.reasons = e.cancellation_reasons().to_vec();
                out
            }
            SdkError::TimeoutError(_) => Error::new(ErrorKind::Connection, format!("DynamoDB did not answer in time: {}", chain_message(&err))),
            SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_) if caused_by_credentials(&err) => {
                Error::new(ErrorKind::Credentials, chain_message(&err))
            }
            SdkError::DispatchFailure(_) => Error::new(ErrorKind::Connection, format!("could not reach DynamoDB: {}", chain_message(&err))),
            SdkError::ResponseError(_) => Error::new(ErrorKind::Service, format!("unreadable response from DynamoDB: {}", chain_message(&err))),
            _ => Error::new(ErrorKind::Service, chain_message(&err)),
        }
    }
}
