//! Where the direct path sends requests and how it signs them, decided as the SDK decides:
//! the SDK's own endpoint rules (`DefaultResolver`) with the parameters its operations pass
//! (region, the configured endpoint URL picked exactly as the SDK's config picks it, the
//! account id of the credentials, the account-id endpoint mode, and the table name as
//! `ResourceArn`), and the signing region and name of the rules' `sigv4` auth scheme
//! (`region="local"` goes to `http://localhost:8000` and is signed for `us-east-1`).

use std::borrow::Cow;

use aws_sdk_dynamodb::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
use aws_smithy_types::Document;
use aws_types::endpoint_config::AccountIdEndpointMode;
use aws_types::SdkConfig;

/// The service name requests are signed for when the rules do not name one.
const SERVICE: &str = "dynamodb";

/// A resolved endpoint: the URI requests are posted to, the `host` header, and the SigV4
/// credential scope's region and service.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub uri: String,
    pub host: String,
    pub signing_region: String,
    pub signing_name: String,
}

/// `(uri ending in '/', host)` of a plain `http(s)://host[:port][/path]` URL; None for user
/// info, a query or another scheme (such a client keeps the SDK path).
pub fn plain_url(url: &str) -> Option<(String, String)> {
    let uri: http::Uri = url.parse().ok()?;
    let authority = uri.authority()?;
    if authority.as_str().contains('@') || uri.query().is_some() || !matches!(uri.scheme_str(), Some("http" | "https")) {
        return None;
    }
    let full = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
    Some((full, authority.as_str().to_string()))
}

impl Endpoint {
    /// The rules' answer as the direct path uses it: the URL, and the signing region and
    /// name of its `sigv4` auth scheme (else the client's region and `dynamodb`, as the
    /// SDK's signer falls back to them). None when the direct path cannot take it (a URL it
    /// cannot post to, headers to add, auth schemes without SigV4).
    fn from_rules(resolved: &aws_smithy_types::endpoint::Endpoint, region: &str) -> Option<Endpoint> {
        if resolved.headers().next().is_some() {
            return None;
        }
        let (uri, host) = plain_url(resolved.url())?;
        let field = |name: &str| -> Option<Option<String>> {
            let typed = resolved.auth_schemes();
            if !typed.is_empty() {
                let scheme = typed.iter().find(|s| s.name() == "sigv4")?;
                return Some(scheme.get(name).and_then(Document::as_string).map(str::to_owned));
            }
            match resolved.properties().get("authSchemes") {
                None => Some(None),
                Some(Document::Array(schemes)) => {
                    let scheme = schemes.iter().filter_map(Document::as_object).find(|o| {
                        o.get("name").and_then(Document::as_string) == Some("sigv4")
                    })?;
                    Some(scheme.get(name).and_then(Document::as_string).map(str::to_owned))
                }
                Some(_) => None,
            }
        };
        let signing_region = field("signingRegion")?.unwrap_or_else(|| region.to_string());
        let signing_name = field("signingName")?.unwrap_or_else(|| SERVICE.to_string());
        Some(Endpoint { uri, host, signing_region, signing_name })
    }
}

/// The endpoint URL the SDK's config would use (`From<&SdkConfig>` of aws-sdk-dynamodb).
pub fn configured_url(sdk_config: &SdkConfig) -> Option<String> {
    if sdk_config.get_origin("endpoint_url").is_client_config() {
        return sdk_config.endpoint_url().map(str::to_owned);
    }
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id("DynamoDB")
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    sdk_config
        .service_config()
        .and_then(|conf| conf.load_config(key))
        .or_else(|| sdk_config.endpoint_url().map(str::to_owned))
}

/// The table ARN a request body names, if its `TableName` is one: the SDK passes the table
/// name to the rules as `ResourceArn`, and only an ARN changes their answer. Every direct
/// body starts with `TableName` (`wire::write::body::Body`, written by this crate).
pub fn table_arn(body: &[u8]) -> Option<String> {
    const HEAD: &[u8] = br#"{"TableName":"#;
    let rest = body.strip_prefix(HEAD)?;
    if !rest.starts_with(br#""arn:"#) {
        return None;
    }
    serde_json::Deserializer::from_slice(rest).into_iter::<String>().next()?.ok()
}

pub struct Resolver {
    region: String,
    /// The configured endpoint URL, when there is one: the rules then answer with it
    /// whatever the account id or table, so `default` is every request's endpoint.
    configured: Option<String>,
    /// The rules' answer with neither an account id nor a table ARN (None when they refuse
    /// to answer without an account id).
    default: Option<Endpoint>,
    account_mode: AccountIdEndpointMode,
    rules: DefaultResolver,
}

impl Resolver {
    /// None when the configuration needs what the direct path does not do (FIPS or
    /// dual-stack endpoints, an endpoint URL or rules' answer it cannot use).
    pub async fn new(sdk_config: &SdkConfig, region: &str) -> Option<Resolver> {
        if sdk_config.use_fips() == Some(true) || sdk_config.use_dual_stack() == Some(true) {
            return None;
        }
        let configured = configured_url(sdk_config);
        if let Some(url) = &configured {
            plain_url(url)?;
        }
        let account_mode = sdk_config.account_id_endpoint_mode().cloned().unwrap_or_default();
        let mut resolver = Resolver {
            region: region.to_string(),
            configured,
            default: None,
            account_mode,
            rules: DefaultResolver::new(),
        };
        resolver.default = match resolver.resolve(None, None).await {
            Ok(Some(endpoint)) => Some(endpoint),
            // An endpoint the direct path cannot send to: the client keeps the SDK path.
            Ok(None) => return None,
            // The rules refuse a request without an account id (mode `required`): each
            // request resolves with its credentials' account id, and fails as the SDK's would.
            Err(_) => None,
        };
        Some(resolver)
    }

    /// The endpoint of a request signed with credentials of `account_id` for the table
    /// `table_arn` (when the request names its table by ARN).
    pub async fn endpoint(&self, account_id: Option<&str>, table_arn: Option<&str>) -> Result<Cow<'_, Endpoint>, String> {
        let plain = self.configured.is_some() || (account_id.is_none() && table_arn.is_none());
        if let (true, Some(default)) = (plain, &self.default) {
            return Ok(Cow::Borrowed(default));
        }
        match self.resolve(account_id, table_arn).await? {
            Some(endpoint) => Ok(Cow::Owned(endpoint)),
            None => Err("the endpoint rules answered with an endpoint the direct path cannot send to".to_string()),
        }
    }

    /// The rules' answer; `Ok(None)` when it is not one the direct path can send to.
    async fn resolve(&self, account_id: Option<&str>, table_arn: Option<&str>) -> Result<Option<Endpoint>, String> {
        let params = Params::builder()
            .region(self.region.clone())
            .use_fips(false)
            .use_dual_stack(false)
            .set_endpoint(self.configured.clone())
            .set_account_id(account_id.map(str::to_owned))
            .account_id_endpoint_mode(self.account_mode.to_string())
            .set_resource_arn(table_arn.map(str::to_owned))
            .build()
            .map_err(|e| e.to_string())?;
        let resolved = self.rules.resolve_endpoint(&params).await.map_err(|e| e.to_string())?;
        Ok(Endpoint::from_rules(&resolved, &self.region))
    }
}
