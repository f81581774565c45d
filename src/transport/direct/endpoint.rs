//! Where the direct path sends requests: the endpoint given (`endpoint_url`, or
//! `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL` / a profile's `endpoint_url`, picked
//! exactly as the SDK's config does), else the SDK's own endpoint rules
//! (`DefaultResolver`), resolved once per client and again only for credentials that
//! carry an account id (account-id endpoints).

use aws_sdk_dynamodb::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
use aws_types::endpoint_config::AccountIdEndpointMode;
use aws_types::SdkConfig;

/// A resolved endpoint: the URI requests are posted to and the `host` header.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub uri: String,
    pub host: String,
}

impl Endpoint {
    /// None when the URL is not a plain `http(s)://host[:port][/path]` (user info, query):
    /// such a client keeps the SDK path.
    pub fn parse(url: &str) -> Option<Endpoint> {
        let uri: http::Uri = url.parse().ok()?;
        let authority = uri.authority()?;
        if authority.as_str().contains('@') || uri.query().is_some() || !matches!(uri.scheme_str(), Some("http" | "https")) {
            return None;
        }
        let uri = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
        Some(Endpoint { uri, host: authority.as_str().to_string() })
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

pub struct Resolver {
    region: String,
    configured: Option<Endpoint>,
    /// The endpoint rules' answer without an account id.
    default: Endpoint,
    account_mode: AccountIdEndpointMode,
    rules: DefaultResolver,
}

impl Resolver {
    /// None when the configuration needs what the direct path does not do (FIPS or
    /// dual-stack endpoints, an endpoint URL it cannot use).
    pub async fn new(sdk_config: &SdkConfig, region: &str) -> Option<Resolver> {
        if sdk_config.use_fips() == Some(true) || sdk_config.use_dual_stack() == Some(true) {
            return None;
        }
        let configured = match configured_url(sdk_config) {
            Some(url) => Some(Endpoint::parse(&url)?),
            None => None,
        };
        let account_mode = sdk_config.account_id_endpoint_mode().cloned().unwrap_or_default();
        let rules = DefaultResolver::new();
        let default = match &configured {
            Some(e) => e.clone(),
            None => resolve(&rules, region, None, &account_mode).await?,
        };
        Some(Resolver { region: region.to_string(), configured, default, account_mode, rules })
    }

    /// The endpoint for a request signed with credentials of `account_id`.
    pub async fn endpoint(&self, account_id: Option<&str>) -> Result<std::borrow::Cow<'_, Endpoint>, String> {
        match (account_id, &self.configured, &self.account_mode) {
            (Some(id), None, mode) if *mode != AccountIdEndpointMode::Disabled => {
                match resolve(&self.rules, &self.region, Some(id), mode).await {
                    Some(e) => Ok(std::borrow::Cow::Owned(e)),
                    None => Err(format!("no endpoint for account {id} in region {}", self.region)),
                }
            }
            _ => Ok(std::borrow::Cow::Borrowed(&self.default)),
        }
    }
}

async fn resolve(rules: &DefaultResolver, region: &str, account_id: Option<&str>, mode: &AccountIdEndpointMode) -> Option<Endpoint> {
    let params = Params::builder()
        .region(region)
        .use_fips(false)
        .use_dual_stack(false)
        .set_account_id(account_id.map(str::to_owned))
        .account_id_endpoint_mode(mode.to_string())
        .build()
        .ok()?;
    let endpoint = rules.resolve_endpoint(&params).await.ok()?;
    Endpoint::parse(endpoint.url())
}
