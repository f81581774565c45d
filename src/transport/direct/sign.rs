//! Builds and signs one attempt's HTTP request: SigV4 as the SDK signs DynamoDB requests
//! (the body hashed into the signature, no `x-amz-content-sha256` header, the session
//! token signed, `user-agent` left out).
//!
//! Every direct-path request has the same shape (`POST`, six fixed headers), so its
//! canonical request is written here in one buffer, and the signing key (four HMACs) is
//! derived once per day, region and secret rather than per request: aws-sigv4's general
//! signer was the largest single cost of a GetItem after the socket (ADR 30). Anything
//! outside that shape (a path or header value that would need encoding or trimming) is
//! signed by aws-sigv4 itself, and tests check the two agree.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_lc_rs::{digest, hmac};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};

/// What every request of one client shares.
pub struct Target<'a> {
    /// `https://dynamodb.us-east-1.amazonaws.com/` or the endpoint given.
    pub uri: &'a str,
    /// The `host` header (`authority` of the URI).
    pub host: &'a str,
    /// The signing region and service name: the resolved endpoint's (`authSchemes`), as the
    /// SDK signs (e.g. `us-east-1` for `region="local"`).
    pub region: &'a str,
    pub name: &'a str,
    pub user_agent: &'a str,
    /// The client's signing key of the day.
    pub keys: &'a SigningKeys,
}

const JSON_1_0: &str = "application/x-amz-json-1.0";
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");

/// The signed request for `DynamoDB_20120810.<action>` with `body`, signed at `time`, as
/// the connector takes it.
pub fn signed_request(
    target: &Target<'_>,
    action: &str,
    body: &Bytes,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<http::Request<SdkBody>, String> {
    sign(target, action, body, credentials, time)?.into_http()
}

/// Signs one attempt's request; it then takes the form its transport sends.
pub fn sign<'a>(target: &'a Target<'a>, action: &str, body: &'a Bytes, credentials: &'a Credentials, time: SystemTime) -> Result<Signed<'a>, String> {
    let form = match sign_plain(target, action, body, credentials, time) {
        Some(signature) => Form::Usual { amz_target: format!("DynamoDB_20120810.{action}"), signature },
        None => Form::Other(by_aws_sigv4(target, action, body, credentials, time)?),
    };
    Ok(Signed { target, body, token: credentials.session_token(), form })
}

/// A signed request, before it takes its transport's form.
pub struct Signed<'a> {
    target: &'a Target<'a>,
    body: &'a Bytes,
    token: Option<&'a str>,
    form: Form,
}

enum Form {
    /// Signed here (`sign_plain`).
    Usual { amz_target: String, signature: Signature },
    /// Signed by aws-sigv4.
    Other(http::Request<SdkBody>),
}

impl Signed<'_> {
    /// The request's path and query, and each header in the order sent: what an HTTP/1.1
    /// request is written from (`plain.rs`).
    pub fn path(&self) -> &str {
        match &self.form {
            Form::Usual { .. } => path_of(self.target.uri).unwrap_or("/"),
            Form::Other(request) => request.uri().path_and_query().map_or("/", |p| p.as_str()),
        }
    }

    pub fn headers(&self, mut each: impl FnMut(&str, &[u8])) {
        match &self.form {
            Form::Usual { amz_target, signature } => {
                for (name, value) in unsigned_headers(self.target, amz_target, &self.body.len().to_string()) {
                    each(name, value.as_bytes());
                }
                each("x-amz-date", signature.date_time.as_bytes());
                if let Some(token) = self.token {
                    each("x-amz-security-token", token.as_bytes());
                }
                each("authorization", signature.authorization.as_bytes());
            }
            Form::Other(request) => {
                for (name, value) in request.headers() {
                    each(name.as_str(), value.as_bytes());
                }
            }
        }
    }

    pub fn body(&self) -> &Bytes {
        self.body
    }

    /// `host[:port]` the request goes to.
    pub fn authority(&self) -> &str {
        self.target.host
    }

    /// The request as the connector takes it.
    pub fn into_http(self) -> Result<http::Request<SdkBody>, String> {
        if let Form::Other(request) = self.form {
            return Ok(request);
        }
        let mut request = http::Request::builder().method("POST").uri(self.target.uri).body(SdkBody::from(self.body.clone())).map_err(|e| e.to_string())?;
        let mut failed = None;
        let headers = request.headers_mut();
        self.headers(|name, value| match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value)) {
            (Ok(name), Ok(mut value)) => {
                value.set_sensitive(name == AUTHORIZATION || name == X_AMZ_SECURITY_TOKEN);
                headers.insert(name, value);
            }
            _ => failed = Some(format!("invalid header value for {name}")),
        });
        failed.map_or(Ok(request), Err)
    }
}

/// The `x-amz-date` and `authorization` of a request of the usual shape.
struct Signature {
    date_time: String,
    authorization: String,
}

/// Signs a request whose path and header values need no encoding or trimming (the
/// canonical forms are then the values themselves); None for any other, which aws-sigv4
/// signs.
fn sign_plain(target: &Target<'_>, action: &str, body: &[u8], credentials: &Credentials, time: SystemTime) -> Option<Signature> {
    let path = path_of(target.uri)?;
    let plain_path = path.starts_with('/')
        && path.bytes().all(|b| b == b'/' || b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
        && !path.split('/').skip(1).any(|s| s == "." || s == "..")
        && !path.contains("//");
    let token = credentials.session_token();
    let plain_values = [target.host, target.user_agent, target.region, target.name, action, credentials.access_key_id()]
        .into_iter()
        .chain(token)
        .all(plain_value);
    if !plain_path || !plain_values {
        return None;
    }
    let (date_time, day) = amz_date(time)?;
    let signed_headers = if token.is_some() {
        "content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target;x-amz-user-agent"
    } else {
        "content-length;content-type;host;x-amz-date;x-amz-target;x-amz-user-agent"
    };
    let mut canonical = String::with_capacity(512);
    let _ = write!(canonical, "POST\n{path}\n\ncontent-length:{}\ncontent-type:{JSON_1_0}\nhost:{}\nx-amz-date:{date_time}\n", body.len(), target.host);
    if let Some(token) = token {
        let _ = writeln!(canonical, "x-amz-security-token:{token}");
    }
    let _ = write!(canonical, "x-amz-target:DynamoDB_20120810.{action}\nx-amz-user-agent:{}\n\n{signed_headers}\n", target.user_agent);
    hex_into(&mut canonical, digest::digest(&digest::SHA256, body).as_ref());
    let scope = format!("{day}/{}/{}/aws4_request", target.region, target.name);
    let mut string_to_sign = format!("AWS4-HMAC-SHA256\n{date_time}\n{scope}\n");
    hex_into(&mut string_to_sign, digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref());
    let key = target.keys.key(credentials.secret_access_key(), &day, target.region, target.name);
    let mut authorization = format!("AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature=", credentials.access_key_id());
    hex_into(&mut authorization, hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), string_to_sign.as_bytes()).as_ref());
    Some(Signature { date_time, authorization })
}

/// The path of an `http(s)://authority/path` URI (the endpoint's, which has no query).
fn path_of(uri: &str) -> Option<&str> {
    let rest = uri.split_once("://")?.1;
    Some(rest.find('/').map_or("/", |at| &rest[at..]))
}

/// Visible ASCII with single inner spaces: canonical as it is (aws-sigv4 trims the ends
/// and squeezes runs of spaces).
fn plain_value(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && !value.contains("  ")
        && value.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

/// `(YYYYMMDDTHHMMSSZ, YYYYMMDD)` of a time after 1970, in UTC.
fn amz_date(time: SystemTime) -> Option<(String, String)> {
    let seconds = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    let of_day = seconds % 86_400;
    let date = format!("{year:04}{month:02}{day:02}");
    let date_time = format!("{date}T{:02}{:02}{:02}Z", of_day / 3600, of_day / 60 % 60, of_day % 60);
    Some((date_time, date))
}

/// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn hex_into(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
}

/// One client's SigV4 signing key: HMAC chain of the secret over the day, region and
/// service, kept until one of them changes (the day, or rotated credentials).
#[derive(Default)]
pub struct SigningKeys(Mutex<Option<Derived>>);

struct Derived {
    secret: String,
    day: String,
    region: String,
    name: String,
    key: [u8; 32],
}

impl SigningKeys {
    fn key(&self, secret: &str, day: &str, region: &str, name: &str) -> [u8; 32] {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = slot.as_ref().filter(|d| d.secret == secret && d.day == day && d.region == region && d.name == name) {
            return d.key;
        }
        let mac = |key: &[u8], data: &str| -> [u8; 32] {
            let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data.as_bytes());
            tag.as_ref().try_into().expect("HMAC-SHA256 is 32 bytes")
        };
        let key = mac(&mac(&mac(&mac(format!("AWS4{secret}").as_bytes(), day), region), name), "aws4_request");
        *slot = Some(Derived { secret: secret.to_owned(), day: day.to_owned(), region: region.to_owned(), name: name.to_owned(), key });
        key
    }
}

/// The headers of a request before signing adds `x-amz-date`, the session token and
/// `authorization`, in the order sent.
fn unsigned_headers<'a>(target: &'a Target<'_>, amz_target: &'a str, length: &'a str) -> [(&'static str, &'a str); 6] {
    [
        ("content-type", JSON_1_0),
        ("x-amz-target", amz_target),
        ("host", target.host),
        ("content-length", length),
        ("user-agent", target.user_agent),
        ("x-amz-user-agent", target.user_agent),
    ]
}

/// The same request signed by aws-sigv4 (requests outside the usual shape; and the
/// reference the tests hold `sign_plain` to).
pub(super) fn by_aws_sigv4(
    target: &Target<'_>,
    action: &str,
    body: &Bytes,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<http::Request<SdkBody>, String> {
    let amz_target = format!("DynamoDB_20120810.{action}");
    let length = body.len().to_string();
    let headers = unsigned_headers(target, &amz_target, &length);
    let identity: Identity = credentials.clone().into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(target.region)
        .name(target.name)
        .time(time)
        .settings(signing_settings())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new("POST", target.uri, headers.iter().copied(), SignableBody::Bytes(body))
        .map_err(|e| e.to_string())?;
    let (instructions, _signature) = aws_sigv4::http_request::sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
    let mut request = http::Request::builder().method("POST").uri(target.uri);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let mut request = request.body(SdkBody::from(body.clone())).map_err(|e| e.to_string())?;
    instructions.apply_to_request_http1x(&mut request);
    Ok(request)
}

/// The SDK's settings for DynamoDB: aws-sigv4's defaults (the session token signed, the
/// `user-agent` header left out of the signature, since proxies rewrite it), and, as
/// aws-runtime's signer does, the SDK's per-attempt headers left out too.
pub fn signing_settings() -> SigningSettings {
    let mut settings = SigningSettings::default();
    if let Some(excluded) = settings.excluded_headers.as_mut() {
        excluded.extend(["amz-sdk-invocation-id", "amz-sdk-request"].map(std::borrow::Cow::Borrowed));
    }
    settings
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn headers_of(request: &http::Request<SdkBody>) -> Vec<(String, String)> {
        let mut all: Vec<_> = request.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned())).collect();
        all.sort();
        all
    }

    /// Random requests of every shape the direct path sends, signed both ways: the same
    /// headers, so the same signature.
    #[test]
    fn the_usual_shape_is_signed_as_aws_sigv4_signs_it() {
        let keys = SigningKeys::default();
        let hosts = ["127.0.0.1:8000", "dynamodb.us-east-1.amazonaws.com", "localhost", "[::1]:9000"];
        let paths = ["/", "/prefix/", "/a-b_c.d~e/f/"];
        let regions = [("us-east-1", "dynamodb"), ("eu-west-1", "dynamodb"), ("cn-north-1", "dynamodb"), ("us-gov-west-1", "dynamodb")];
        let agents = ["pydynox/0.22.0 md/direct", "pydynox/0.22.0 md/direct app/my-app"];
        let mut rng = fastrand::Rng::with_seed(30);
        let mut usual = 0;
        for round in 0..400 {
            let host = hosts[rng.usize(..hosts.len())];
            let uri = format!("http://{host}{}", paths[rng.usize(..paths.len())]);
            let (region, name) = regions[rng.usize(..regions.len())];
            let target = Target { uri: &uri, host, region, name, user_agent: agents[rng.usize(..agents.len())], keys: &keys };
            let body: Vec<u8> = (0..rng.usize(0..300)).map(|_| rng.u8(..)).collect();
            let body = Bytes::from(body);
            let token = rng.bool().then(|| format!("token/{round}+=="));
            let credentials = Credentials::new(format!("AKID{}", rng.u32(..)), format!("secret{}", rng.u8(..4)), token, None, "test");
            // Days apart, and seconds apart within a day: the cached key must follow.
            let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000 + rng.u64(..3) * 86_400 + rng.u64(..86_400));
            let action = ["GetItem", "Query", "BatchWriteItem"][rng.usize(..3)];
            let ours = signed_request(&target, action, &body, &credentials, time).unwrap();
            let reference = by_aws_sigv4(&target, action, &body, &credentials, time).unwrap();
            assert_eq!(headers_of(&ours), headers_of(&reference), "{uri} {region} {action}");
            usual += usize::from(sign_plain(&target, action, &body, &credentials, time).is_some());
        }
        assert_eq!(usual, 400, "every request above has the usual shape");
    }

    #[test]
    fn other_shapes_are_left_to_aws_sigv4() {
        let keys = SigningKeys::default();
        let credentials = Credentials::new("AKID", "secret", None, None, "test");
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for (uri, user_agent) in [("http://h/a%20b/", "ua"), ("http://h/a//b/", "ua"), ("http://h/./", "ua"), ("http://h/", "two  spaces"), ("http://h/", " lead")] {
            let target = Target { uri, host: "h", region: "us-east-1", name: "dynamodb", user_agent, keys: &keys };
            assert!(sign_plain(&target, "GetItem", b"{}", &credentials, time).is_none(), "{uri} {user_agent:?}");
            assert!(signed_request(&target, "GetItem", &Bytes::from_static(b"{}"), &credentials, time).is_ok());
        }
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        let at = |s: u64| amz_date(UNIX_EPOCH + Duration::from_secs(s)).unwrap();
        assert_eq!(at(0), ("19700101T000000Z".into(), "19700101".into()));
        assert_eq!(at(951_782_400), ("20000229T000000Z".into(), "20000229".into()));
        assert_eq!(at(1_700_000_000), ("20231114T221320Z".into(), "20231114".into()));
        assert_eq!(at(4_102_444_799), ("20991231T235959Z".into(), "20991231".into()));
        // Every day for 200 years against aws-smithy-types' own formatting.
        for day in 0..73_000u64 {
            let s = day * 86_400 + 45_296;
            let smithy = aws_smithy_types::DateTime::from_secs(s as i64).fmt(aws_smithy_types::date_time::Format::DateTime).unwrap();
            let expected: String = smithy.chars().filter(|c| *c != '-' && *c != ':').collect();
            assert_eq!(at(s).0, expected);
        }
    }
}
