//! `DynamoDBClient`: configuration, the fork-aware SDK client, and per-client metrics.
//! Its Python methods are generated (see spec/client.yaml); this module holds what they
//! call besides the operations: the constructor, `repr` and the local accessors.

use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::bindings::{ModelMetrics, OperationMetrics};
use crate::convert::ReadOptions;
use crate::errors::Error;
use crate::runtime;

const DEFAULT_REGION: &str = "us-east-1";

/// What the constructor was given, kept to rebuild the SDK client in a forked child.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    pub region: Option<String>,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub session_token: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub role_arn: Option<String>,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    pub connect_timeout: Option<f64>,
    pub read_timeout: Option<f64>,
    pub max_retries: Option<i64>,
}

/// Which counter of `ModelMetrics` a call adds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Get,
    Put,
    Delete,
    Update,
    Query,
    Scan,
    Other,
}

#[derive(Default)]
struct MetricsState {
    last: Option<OperationMetrics>,
    total: ModelMetrics,
}

/// State shared by the client and every request in flight (requests outlive the call
/// that started them, so this lives behind an `Arc`).
pub struct ClientShared {
    options: ClientOptions,
    region: String,
    /// The SDK client and the process it was built in.
    sdk: RwLock<(u32, aws_sdk_dynamodb::Client)>,
    pub read: ReadOptions,
    metrics: Mutex<MetricsState>,
}

thread_local! {
    /// This thread's SDK clients for sync calls, one per live `ClientShared`: their
    /// connections belong to this thread's runtime (see runtime.rs). Entries of dropped
    /// clients are pruned when a new one is added; all of them go when the thread ends.
    static THREAD_CLIENTS: std::cell::RefCell<Vec<(Weak<ClientShared>, u32, aws_sdk_dynamodb::Client)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl ClientShared {
    /// The SDK client to send with from where this future runs: the calling thread's own
    /// inside a sync call, the shared one on the async runtime. Either is rebuilt on first
    /// use in a forked child, whose copies of the parent's connections are unusable.
    pub async fn sdk_here(self: &Arc<Self>) -> Result<aws_sdk_dynamodb::Client, Error> {
        let pid = runtime::process_id();
        if runtime::on_calling_thread() {
            let found = THREAD_CLIENTS.with(|clients| {
                clients
                    .borrow()
                    .iter()
                    .find(|(owner, p, _)| *p == pid && std::ptr::eq(owner.as_ptr(), Arc::as_ptr(self)))
                    .map(|(_, _, c)| c.clone())
            });
            if let Some(client) = found {
                return Ok(client);
            }
            let client = self.build_sdk().await;
            THREAD_CLIENTS.with(|clients| {
                let mut clients = clients.borrow_mut();
                clients.retain(|(owner, p, _)| *p == pid && owner.strong_count() > 0);
                clients.push((Arc::downgrade(self), pid, client.clone()));
            });
            return Ok(client);
        }
        {
            let guard = self.sdk.read().unwrap_or_else(|e| e.into_inner());
            if guard.0 == pid {
                return Ok(guard.1.clone());
            }
        }
        let fresh = self.build_sdk().await;
        *self.sdk.write().unwrap_or_else(|e| e.into_inner()) = (pid, fresh.clone());
        Ok(fresh)
    }

    /// A new SDK client from the same configuration, with its own connection pool.
    async fn build_sdk(&self) -> aws_sdk_dynamodb::Client {
        build_sdk_client(&self.options).await.0
    }

    /// Records one call's metrics as the last and adds them to the totals.
    pub fn record(&self, kind: OpKind, m: &OperationMetrics) {
        let mut state = self.metrics.lock().unwrap_or_else(|e| e.into_inner());
        let t = &mut state.total;
        t.total_rcu += m.consumed_rcu.unwrap_or(0.0);
        t.total_wcu += m.consumed_wcu.unwrap_or(0.0);
        t.total_duration_ms += m.duration_ms;
        t.operation_count += 1;
        match kind {
            OpKind::Get => t.get_count += 1,
            OpKind::Put => t.put_count += 1,
            OpKind::Delete => t.delete_count += 1,
            OpKind::Update => t.update_count += 1,
            OpKind::Query => t.query_count += 1,
            OpKind::Scan => t.scan_count += 1,
            OpKind::Other => {}
        }
        state.last = Some(m.clone());
    }
}

#[pyclass(module = "pydynox.pydynox_core", frozen, subclass)]
pub struct DynamoDBClient {
    pub shared: Arc<ClientShared>,
}

async fn build_sdk_client(o: &ClientOptions) -> (aws_sdk_dynamodb::Client, String) {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &o.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &o.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(endpoint) = &o.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    if let (Some(access), Some(secret)) = (&o.access_key, &o.secret_key) {
        let creds = Credentials::new(access, secret, o.session_token.clone(), None, "pydynox-explicit");
        loader = loader.credentials_provider(creds);
    }
    let mut timeouts = TimeoutConfig::builder();
    if let Some(s) = o.connect_timeout {
        timeouts = timeouts.connect_timeout(Duration::from_secs_f64(s));
    }
    if let Some(s) = o.read_timeout {
        timeouts = timeouts.read_timeout(Duration::from_secs_f64(s));
    }
    loader = loader.timeout_config(timeouts.build());
    if let Some(n) = o.max_retries {
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(n as u32 + 1));
    }
    let sdk_config = loader.load().await;
    let region = sdk_config.region().map(|r| r.to_string()).unwrap_or_else(|| DEFAULT_REGION.to_string());
    let mut conf = aws_sdk_dynamodb::config::Builder::from(&sdk_config).region(Region::new(region.clone()));
    if let Some(role) = &o.role_arn {
        let mut assume = aws_config::sts::AssumeRoleProvider::builder(role)
            .session_name(o.role_session_name.clone().unwrap_or_else(|| "pydynox".to_string()))
            .region(Region::new(region.clone()));
        if let Some(id) = &o.external_id {
            assume = assume.external_id(id);
        }
        conf = conf.credentials_provider(assume.configure(&sdk_config).build().await);
    }
    (aws_sdk_dynamodb::Client::from_conf(conf.build()), region)
}

fn positive(name: &str, value: Option<f64>) -> PyResult<()> {
    match value {
        Some(v) if !(v.is_finite() && v > 0.0) => Err(PyValueError::new_err(format!("{name} must be a positive number of seconds, got {v}"))),
        _ => Ok(()),
    }
}

/// The generated `__new__`.
#[allow(clippy::too_many_arguments)]
pub fn new(
    py: Python<'_>,
    region: Option<String>,
    access_key: Option<String>,
    secret_key: Option<String>,
    session_token: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    external_id: Option<String>,
    connect_timeout: Option<f64>,
    read_timeout: Option<f64>,
    max_retries: Option<i64>,
    proxy_url: Option<String>,
    exact_numbers: bool,
) -> PyResult<DynamoDBClient> {
    if access_key.is_some() != secret_key.is_some() {
        return Err(PyValueError::new_err("access_key and secret_key must be given together"));
    }
    if session_token.is_some() && access_key.is_none() {
        return Err(PyValueError::new_err("session_token needs access_key and secret_key"));
    }
    if proxy_url.is_some() {
        return Err(PyValueError::new_err(
            "proxy_url is not supported yet; set HTTPS_PROXY for the process instead",
        ));
    }
    positive("connect_timeout", connect_timeout)?;
    positive("read_timeout", read_timeout)?;
    if let Some(n) = max_retries {
        if !(0..=100).contains(&n) {
            return Err(PyValueError::new_err(format!("max_retries must be between 0 and 100, got {n}")));
        }
    }
    let options = ClientOptions {
        region,
        access_key,
        secret_key,
        session_token,
        profile,
        endpoint_url,
        role_arn,
        role_session_name,
        external_id,
        connect_timeout,
        read_timeout,
        max_retries,
    };
    // Loading the config may read profile files: do it without the GIL, and on the shared
    // runtime, which is where this (async) client's connections will live.
    let (sdk, region) = py.detach(|| runtime::runtime().block_on(build_sdk_client(&options)));
    Ok(DynamoDBClient {
        shared: Arc::new(ClientShared {
            options,
            region,
            sdk: RwLock::new((runtime::process_id(), sdk)),
            read: ReadOptions { exact_numbers },
            metrics: Mutex::new(MetricsState::default()),
        }),
    })
}

/// `repr()` shows where the client points, never credentials.
pub fn repr(client: &DynamoDBClient) -> String {
    let s = &client.shared;
    match &s.options.endpoint_url {
        Some(url) => format!("DynamoDBClient(region='{}', endpoint_url='{}')", s.region, url),
        None => format!("DynamoDBClient(region='{}')", s.region),
    }
}

pub fn get_region(client: &DynamoDBClient, py: Python<'_>) -> PyResult<Py<PyAny>> {
    client.shared.region.clone().into_py_any(py)
}

pub fn get_last_metrics(client: &DynamoDBClient, py: Python<'_>) -> PyResult<Py<PyAny>> {
    let last = client.shared.metrics.lock().unwrap_or_else(|e| e.into_inner()).last.clone();
    last.into_py_any(py)
}

pub fn get_total_metrics(client: &DynamoDBClient, py: Python<'_>) -> PyResult<Py<PyAny>> {
    let total = client.shared.metrics.lock().unwrap_or_else(|e| e.into_inner()).total.clone();
    total.into_py_any(py)
}

pub fn reset_metrics(client: &DynamoDBClient, py: Python<'_>) -> PyResult<Py<PyAny>> {
    *client.shared.metrics.lock().unwrap_or_else(|e| e.into_inner()) = MetricsState::default();
    Ok(py.None())
}
