//! What the S3 and KMS clients of the attributes share: their connection settings (the
//! DynamoDB client's, with the same names and the same AWS chain), one SDK client per
//! process, and where their requests run.
//!
//! Every S3 and KMS request runs on the shared multi-thread runtime, whichever twin made
//! it: their connection pools then live where they are always driven, so a connection
//! opened by a sync call is never left to a runtime that only runs during sync calls.
//! These calls are few and large (a file, a data key), so the extra thread hop does not
//! matter as it would for DynamoDB's small requests.

use std::future::Future;
use std::sync::Mutex;

use aws_config::{Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;

use crate::client::{self, ClientOptions};
use crate::errors::{Error, ErrorKind};
use crate::runtime;

const DEFAULT_REGION: &str = "us-east-1";

/// Seconds to wait for a connection when the constructor was given none.
const DEFAULT_CONNECT_TIMEOUT: f64 = 5.0;

/// The configuration an S3 or KMS SDK client is built from.
pub struct Loaded {
    pub sdk: SdkConfig,
    pub region: Region,
    pub credentials: Option<SharedCredentialsProvider>,
    /// An endpoint was configured (a local server such as moto, or a VPC endpoint).
    pub custom_endpoint: bool,
}

/// Runs the AWS configuration chain for these options (without sending anything).
pub async fn load(options: &ClientOptions) -> Loaded {
    let sdk = client::load_sdk_config(options).await;
    let region = sdk.region().map(|r| r.to_string()).unwrap_or_else(|| DEFAULT_REGION.to_string());
    let credentials = client::credentials_provider(options, &sdk, &region).await;
    let custom_endpoint = sdk.endpoint_url().is_some();
    Loaded { sdk, region: Region::new(region), credentials, custom_endpoint }
}

/// The connection settings `S3Operations` and `KmsEncryptor` take, under the DynamoDB
/// client's names (spec/services.yaml: the constructors' `settings`, which the generated
/// `__new__` gathers into this struct).
pub struct Connection {
    pub region: Option<String>,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub session_token: Option<String>,
    pub profile: Option<String>,
    pub role_arn: Option<String>,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    pub endpoint_url: Option<String>,
    pub connect_timeout: Option<f64>,
    pub read_timeout: Option<f64>,
    pub max_retries: Option<i64>,
    pub proxy_url: Option<String>,
}

impl Connection {
    /// Checked as the DynamoDB client checks its settings. Transfers have no overall time
    /// limit (a large file takes what it takes); the connect timeout defaults to five seconds.
    pub fn options(self) -> pyo3::PyResult<ClientOptions> {
        client::checked_options(
            self.region,
            self.access_key,
            self.secret_key,
            self.session_token,
            self.profile,
            self.endpoint_url,
            self.role_arn,
            self.role_session_name,
            self.external_id,
            Some(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT)),
            self.read_timeout,
            None,
            self.max_retries,
            self.proxy_url,
        )
    }
}

/// The settings of a DynamoDB client, for the S3 or KMS client of an attribute of a
/// model on that client: same credentials chain, profile, role and endpoint; `region`
/// replaces the client's when given. No overall time limit (see [`options`]).
pub fn options_of(dynamodb: &client::DynamoDBClient, region: Option<String>) -> ClientOptions {
    let mut options = dynamodb.shared.options.clone();
    if region.is_some() {
        options.region = region;
    }
    options.operation_timeout = None;
    options
}

/// One SDK client per process, built on first use from the options (and again in a
/// forked child, whose copy of the parent's connections is unusable).
pub struct PerProcess<C> {
    slot: Mutex<Option<(u32, C)>>,
}

impl<C: Clone> PerProcess<C> {
    pub const fn new() -> Self {
        Self { slot: Mutex::new(None) }
    }

    pub async fn get<F, Fut>(&self, build: F) -> C
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = C>,
    {
        let pid = runtime::process_id();
        if let Some((owner, c)) = &*self.slot.lock().unwrap_or_else(|e| e.into_inner()) {
            if *owner == pid {
                return c.clone();
            }
        }
        let fresh = build().await;
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        match &*slot {
            // Another call built one meanwhile: keep a single pool.
            Some((owner, c)) if *owner == pid => c.clone(),
            _ => {
                *slot = Some((pid, fresh.clone()));
                fresh
            }
        }
    }
}

impl<C: Clone> Default for PerProcess<C> {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `fut` on the shared runtime (see the module doc) and waits for it. Dropping the
/// returned future (a cancelled awaitable, Ctrl-C in a sync call) aborts it, so no
/// request outlives its caller unnoticed; work that must finish even then (aborting a
/// multipart upload) arranges that itself.
pub async fn on_shared<T, F>(kind: ErrorKind, fut: F) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);
    impl<T> Drop for AbortOnDrop<T> {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let mut task = AbortOnDrop(runtime::runtime().spawn(fut));
    match (&mut task.0).await {
        Ok(out) => out,
        Err(join) => Err(Error::new(kind, format!("the request's task ended abnormally: {join}"))),
    }
}

/// An SDK error of S3 or KMS as an error of `kind`, naming what was being done. The
/// service's code and message are kept; nothing of the request's data is added.
pub fn sdk_error<E>(kind: ErrorKind, what: impl Into<String>, err: E) -> Error
where
    Error: From<E>,
{
    let mut e = Error::from(err);
    let code = match e.kind {
        ErrorKind::Connection => Some("connection failed"),
        ErrorKind::RequestTimeout => Some("timed out"),
        ErrorKind::Credentials => Some("credentials"),
        _ => None,
    };
    if let Some(code) = code {
        e.message = format!("{code}: {}", e.message);
    }
    e.kind = kind;
    e.context = Some(what.into());
    e
}

/// An error of `kind` about `what`, with no SDK error behind it.
pub fn error(kind: ErrorKind, what: impl Into<String>, message: impl Into<String>) -> Error {
    let mut e = Error::new(kind, message);
    e.context = Some(what.into());
    e
}
