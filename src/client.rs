//! `DynamoDBClient`: configuration, the fork-aware SDK clients, and per-client metrics.
//! Its Python methods are generated (see spec/client.yaml); this module holds what they
//! call besides the operations: the constructor, `repr` and the local accessors.
//!
//! The configuration (region, credentials chain, identity cache, timeouts, retries) is
//! resolved once per client and process; every SDK client of the client (one per thread
//! making sync calls, one for async calls) is built from it, so they share credentials
//! and an assumed role is assumed once.

mod credentials;
pub mod key_schemas;
mod per_runtime;
#[cfg(test)]
mod measure;

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::bindings::{ModelMetrics, OperationMetrics};
use crate::wire::ReadOptions;
use crate::errors::invalid;
use crate::transport::direct::credentials::{CredentialsCache, FromCache};
use crate::transport::direct::{http, Direct};
use crate::runtime;
use per_runtime::PerRuntime;

const DEFAULT_REGION: &str = "us-east-1";

/// The longest timeout accepted (one year): longer is "never" in practice, and bounding
/// it keeps deadline arithmetic from overflowing.
pub const MAX_TIMEOUT_SECONDS: f64 = 365.0 * 24.0 * 3600.0;

/// What the constructor was given, kept to resolve the configuration again in a forked
/// child. `Debug` never shows the secret key or the session token.
#[derive(Clone, Default)]
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
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub operation_timeout: Option<Duration>,
    pub max_retries: Option<i64>,
    /// `PYDYNOX_DIRECT=0` was set when the client was built: every request takes the SDK
    /// path (ADR 12). Kept so a forked child decides the same way.
    pub sdk_only: bool,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("ClientOptions")
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &hidden(&self.secret_key))
            .field("session_token", &hidden(&self.session_token))
            .field("profile", &self.profile)
            .field("endpoint_url", &self.endpoint_url.as_deref().map(redact_endpoint))
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("external_id", &self.external_id)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_retries", &self.max_retries)
            .field("sdk_only", &self.sdk_only)
            .finish()
    }
}

/// `endpoint` without a `user:password@` part, for repr and error messages.
pub fn redact_endpoint(endpoint: &str) -> String {
    let (scheme, rest) = match endpoint.find("://") {
        Some(i) => endpoint.split_at(i + 3),
        None => ("", endpoint),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}{}", &rest[at + 1..]),
        None => endpoint.to_string(),
    }
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
    pub(crate) options: ClientOptions,
    region: String,
    /// Where requests go, credentials stripped: named by connection errors.
    pub endpoint: String,
    /// The resolved configuration, the direct request path it allows (ADR 12), and the
    /// process they were resolved in.
    config: RwLock<(u32, Resolved)>,
    /// The SDK client to send with from where a request runs (see `per_runtime.rs`).
    sdk: PerRuntime<aws_sdk_dynamodb::Client>,
    /// The direct path's HTTP connector, under the same rules.
    connectors: PerRuntime<http::Connectors>,
    pub read: ReadOptions,
    metrics: Mutex<MetricsState>,
    /// Key attribute names of the tables described for exact resume keys (issue 15 item 5).
    pub key_schemas: key_schemas::KeySchemas,
    /// Rate limit and hot-partition diagnostics of every request (ADR 23).
    pub flow: crate::flow::Flow,
}

/// What `resolve_config` makes for one process.
#[derive(Clone)]
struct Resolved {
    conf: aws_sdk_dynamodb::Config,
    direct: Option<Arc<Direct>>,
}

impl ClientShared {
    /// The SDK client to send with from where this future runs (see `per_runtime.rs`).
    /// Each has its own connection pool and shares the client's configuration.
    pub async fn sdk_here(&self) -> aws_sdk_dynamodb::Client {
        self.sdk.get(|| async { aws_sdk_dynamodb::Client::from_conf(self.config_here().await.conf) }).await
    }

    /// The direct request path of this client in this process and the HTTP connector to
    /// send with from where this future runs; None when the client keeps the SDK path.
    pub async fn direct_here(&self) -> Option<(Arc<Direct>, http::Connectors)> {
        let pid = runtime::process_id();
        // Only the `Direct` is cloned on this hot path, not the whole SDK configuration.
        let resolved_here = {
            let guard = self.config.read().unwrap_or_else(|e| e.into_inner());
            (guard.0 == pid).then(|| guard.1.direct.clone())
        };
        let direct = match resolved_here {
            Some(direct) => direct?,
            None => self.config_here().await.direct?,
        };
        let connector = self
            .connectors
            .get(|| async {
                // Blocking sockets only where a sync call runs (runtime.rs): nothing may
                // block the shared runtime's threads.
                let plain = runtime::on_calling_thread().then(Default::default);
                http::Connectors { hyper: http::connector(direct.connect_timeout, direct.read_timeout), plain }
            })
            .await;
        Some((direct, connector))
    }

    /// Whether requests take the direct path (as resolved when the client was built; a
    /// forked child resolves the same configuration the same way). Operations build their
    /// request JSON in `prepare` only then.
    pub fn wants_direct(&self) -> bool {
        self.config.read().unwrap_or_else(|e| e.into_inner()).1.direct.is_some()
    }

    /// The configuration resolved in this process: in a forked child, resolved again
    /// once (the parent's credentials provider may hold connections of the parent).
    async fn config_here(&self) -> Resolved {
        let pid = runtime::process_id();
        {
            let guard = self.config.read().unwrap_or_else(|e| e.into_inner());
            if guard.0 == pid {
                return guard.1.clone();
            }
        }
        let (fresh, _) = resolve_config(&self.options).await;
        let mut slot = self.config.write().unwrap_or_else(|e| e.into_inner());
        if slot.0 != pid {
            *slot = (pid, fresh);
        }
        slot.1.clone()
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
    /// The `rate_limit` and `diagnostics` objects given to the constructor, as given.
    flow_objects: (Option<Py<PyAny>>, Option<Py<PyAny>>),
}

/// The shared AWS configuration of these options: region, profile, endpoint, explicit
/// credentials, timeouts and retries, on top of the standard chain. The S3 and KMS
/// clients of the attributes start from it too (`crate::services`).
pub async fn load_sdk_config(o: &ClientOptions) -> SdkConfig {
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
    timeouts = match o.connect_timeout {
        Some(d) => timeouts.connect_timeout(d),
        None => timeouts.disable_connect_timeout(),
    };
    timeouts = match o.read_timeout {
        Some(d) => timeouts.read_timeout(d),
        None => timeouts.disable_read_timeout(),
    };
    timeouts = match o.operation_timeout {
        Some(d) => timeouts.operation_timeout(d),
        None => timeouts.disable_operation_timeout(),
    };
    loader = loader.timeout_config(timeouts.build());
    if let Some(n) = o.max_retries {
        // 0..=100, checked by `new`.
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(n as u32 + 1));
    }
    loader.load().await
}

/// The credentials provider of these options: an assumed role when `role_arn` is set,
/// else the chain's.
pub async fn credentials_provider(o: &ClientOptions, sdk_config: &SdkConfig, region: &str) -> Option<SharedCredentialsProvider> {
    match &o.role_arn {
        Some(role) => {
            let mut assume = aws_config::sts::AssumeRoleProvider::builder(role)
                .session_name(o.role_session_name.clone().unwrap_or_else(|| "pydynox".to_string()))
                .region(Region::new(region.to_string()));
            if let Some(id) = &o.external_id {
                assume = assume.external_id(id);
            }
            Some(SharedCredentialsProvider::new(assume.configure(sdk_config).build().await))
        }
        None => sdk_config.credentials_provider(),
    }
}

/// Runs the AWS configuration chain once: region, profile, endpoint, credentials (an
/// assumed role included), timeouts and retries. Returns the DynamoDB configuration every
/// SDK client of one `DynamoDBClient` is built from with the direct path it allows, and
/// the shared config they came from.
async fn resolve_config(o: &ClientOptions) -> (Resolved, SdkConfig) {
    let sdk_config = load_sdk_config(o).await;
    let region = sdk_config.region().map(|r| r.to_string()).unwrap_or_else(|| DEFAULT_REGION.to_string());
    // Read operations that decode the body themselves take it through this (ADR 6).
    let mut conf = aws_sdk_dynamodb::config::Builder::from(&sdk_config)
        .region(Region::new(region.clone()))
        .interceptor(crate::transport::sdk_body::RawBodyInterceptor)
        .interceptor(crate::transport::request_tap::RequestTap);
    let provider = credentials_provider(o, &sdk_config, &region).await;
    // One credentials cache for both request paths: the SDK's own identity cache is off
    // and the SDK reads ours (ADR 12).
    let load_timeout = crate::transport::direct::credentials::load_timeout(sdk_config.retry_config(), sdk_config.timeout_config());
    let cache = provider.map(|p| CredentialsCache::new(SharedCredentialsProvider::new(credentials::OnSharedRuntime(p)), load_timeout));
    if let Some(cache) = &cache {
        conf = conf
            .credentials_provider(FromCache(cache.clone()))
            .identity_cache(aws_sdk_dynamodb::config::IdentityCache::no_cache());
    }
    // One retry quota for both request paths, in the standard mode the direct path
    // reproduces (ADR 12); any other mode keeps the SDK's own.
    let retry = sdk_config.retry_config().cloned().unwrap_or_else(RetryConfig::standard);
    let quota = (retry.mode() == aws_config::retry::RetryMode::Standard)
        .then(|| crate::transport::direct::retry::Quota::for_client(&region, crate::transport::direct::retry::Policy::new(&retry).v2_1));
    if let Some(quota) = &quota {
        conf = crate::transport::retry_quota::install(conf, &region, quota.clone());
    }
    let conf = conf.build();
    let direct = match o.sdk_only {
        true => None,
        false => Direct::new(&sdk_config, &conf, &region, cache, quota).await,
    };
    (Resolved { conf, direct }, sdk_config)
}

/// A timeout argument: positive seconds up to a year, or None for no timeout.
fn timeout(name: &str, value: Option<f64>) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 && v <= MAX_TIMEOUT_SECONDS => Ok(Duration::try_from_secs_f64(v).ok()),
        Some(v) => Err(invalid(format!(
            "{name} must be a positive number of seconds up to {MAX_TIMEOUT_SECONDS} (one year), or None for no timeout; got {v}"
        ))),
    }
}

/// The constructor's connection settings, checked (the S3 and KMS classes take the same).
#[allow(clippy::too_many_arguments)]
pub fn checked_options(
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
    operation_timeout: Option<f64>,
    max_retries: Option<i64>,
    proxy_url: Option<String>,
) -> PyResult<ClientOptions> {
    if access_key.is_some() != secret_key.is_some() {
        return Err(crate::errors::invalid("access_key and secret_key must be given together"));
    }
    if session_token.is_some() && access_key.is_none() {
        return Err(crate::errors::invalid("session_token needs access_key and secret_key"));
    }
    if proxy_url.is_some() {
        return Err(crate::errors::invalid(
            "proxy_url is not supported yet; set HTTPS_PROXY for the process instead",
        ));
    }
    let connect_timeout = timeout("connect_timeout", connect_timeout)?;
    let read_timeout = timeout("read_timeout", read_timeout)?;
    let operation_timeout = timeout("operation_timeout", operation_timeout)?;
    if let Some(n) = max_retries {
        if !(0..=100).contains(&n) {
            return Err(crate::errors::invalid(format!("max_retries must be between 0 and 100, got {n}")));
        }
    }
    Ok(ClientOptions {
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
        operation_timeout,
        max_retries,
        sdk_only: !crate::transport::direct::allowed_by_env(),
    })
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
    operation_timeout: Option<f64>,
    max_retries: Option<i64>,
    proxy_url: Option<String>,
    exact_numbers: bool,
    rate_limit: Option<Bound<'_, PyAny>>,
    diagnostics: Option<Bound<'_, PyAny>>,
) -> PyResult<DynamoDBClient> {
    let limiter = flow_core::<crate::flow::py::RateLimiter>(rate_limit.as_ref(), "rate_limit", "FixedRate or AdaptiveRate")?;
    let detector = flow_core::<crate::flow::py::HotPartitions>(diagnostics.as_ref(), "diagnostics", "HotPartitionDetector")?;
    let flow = crate::flow::Flow::new(limiter.map(|l| l.get().inner.clone()), detector.map(|d| d.get().inner.clone()));
    let options = checked_options(
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
        operation_timeout,
        max_retries,
        proxy_url,
    )?;
    // Loading the config may read profile files: do it without the GIL, and on the shared
    // runtime, which is where this (async) client's connections will live.
    let (config, sdk_config) = py.detach(|| runtime::runtime().block_on(resolve_config(&options)));
    let region = config.conf.region().map(|r| r.to_string()).unwrap_or_else(|| DEFAULT_REGION.to_string());
    let endpoint = match sdk_config.endpoint_url() {
        Some(url) => redact_endpoint(url),
        None => format!("https://dynamodb.{region}.amazonaws.com"),
    };
    let pid = runtime::process_id();
    Ok(DynamoDBClient {
        shared: Arc::new(ClientShared {
            options,
            region,
            endpoint,
            sdk: PerRuntime::new(Some(aws_sdk_dynamodb::Client::from_conf(config.conf.clone()))),
            connectors: PerRuntime::new(None),
            config: RwLock::new((pid, config)),
            read: ReadOptions { exact_numbers },
            metrics: Mutex::new(MetricsState::default()),
            key_schemas: key_schemas::KeySchemas::default(),
            flow,
        }),
        flow_objects: (rate_limit.map(Bound::unbind), diagnostics.map(Bound::unbind)),
    })
}

/// The private core (`_core`) of a `rate_limit=` or `diagnostics=` argument.
fn flow_core<'py, T: pyo3::PyClass>(value: Option<&Bound<'py, PyAny>>, name: &str, expected: &str) -> PyResult<Option<Bound<'py, T>>> {
    let Some(value) = value else { return Ok(None) };
    let core = value.getattr("_core").ok().and_then(|c| c.cast_into::<T>().ok());
    match core {
        Some(core) => Ok(Some(core)),
        None => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{name} must be a {expected} (or None), got {}",
            value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
        ))),
    }
}

/// `client.rate_limit`: the `FixedRate` or `AdaptiveRate` the client was built with.
pub fn rate_limit(client: &DynamoDBClient, py: Python<'_>) -> PyResult<Py<PyAny>> {
    Ok(client.flow_objects.0.as_ref().map_or_else(|| py.None(), |o| o.clone_ref(py)))
}

/// `client.diagnostics`: the `HotPartitionDetector` the client was built with.
pub fn diagnostics(client: &DynamoDBClient, py: Python<'_>) -> PyResult<Py<PyAny>> {
    Ok(client.flow_objects.1.as_ref().map_or_else(|| py.None(), |o| o.clone_ref(py)))
}

/// `repr()` shows where the client points, never credentials (nor a `user:password@`
/// part of the endpoint).
pub fn repr(client: &DynamoDBClient) -> String {
    let s = &client.shared;
    match &s.options.endpoint_url {
        Some(url) => format!("DynamoDBClient(region='{}', endpoint_url='{}')", s.region, redact_endpoint(url)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let options = ClientOptions {
            access_key: Some("AKIDEXAMPLE".into()),
            secret_key: Some("very-secret-key".into()),
            session_token: Some("very-secret-token".into()),
            endpoint_url: Some("http://user:hunter2@localhost:8000".into()),
            ..Default::default()
        };
        let text = format!("{options:?}");
        assert!(text.contains("AKIDEXAMPLE"), "{text}");
        for secret in ["very-secret-key", "very-secret-token", "hunter2"] {
            assert!(!text.contains(secret), "{text}");
        }
    }

    #[test]
    fn endpoints_lose_their_user_info() {
        assert_eq!(redact_endpoint("http://user:pw@host:8000/path"), "http://host:8000/path");
        assert_eq!(redact_endpoint("https://host"), "https://host");
        assert_eq!(redact_endpoint("http://host/a@b"), "http://host/a@b");
        assert_eq!(redact_endpoint("user@host"), "host");
        assert_eq!(redact_endpoint("http://a@b@host?x=@"), "http://host?x=@");
    }
}
