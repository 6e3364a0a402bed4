/*!
The platform's HTTP API (protocol §1–2): one method per endpoint, each
owning its path and body, over one `ureq` agent per run, so the public key
fetch, a `--force` delete and the create share connections. Answers are
decided from the body when it is one of the protocol's shapes, from the
status only when it is not; only the delete endpoint can answer "pending".
*/

use miniserde::json::{Object, Value};
use std::time::Duration;
use zeroize::Zeroizing;

use crate::env;
use crate::error::{CliError, Code, Result};
use crate::identity::Identity;
use crate::sanitize::shown;
use crate::url::{Url, redact_all, redacted};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// No answer of the platform comes near this; a larger one is refused.
const MAX_BODY: u64 = 16 * 1024 * 1024;
const MAX_TIMEOUT_SECONDS: f64 = 24.0 * 3600.0;

pub struct Client {
    agent: ureq::Agent,
    base_url: String,
    api_key: Zeroizing<String>,
    /// Where the key came from, named when the platform refuses it.
    key_source: String,
}

/// A body of one of the protocol's shapes: its `data`, and the whole text.
pub struct Answer {
    pub status: u16,
    pub data: Value,
    pub text: String,
}

/// What a delete request can be answered: done, or (without
/// `confirmDeletion`) the process instances it would deactivate.
pub enum Deletion {
    Done(Answer),
    Pending(Answer),
}

/// Any answer of the protocol's shapes; only a delete may be pending.
enum Reply {
    Done(Answer),
    Pending(Answer),
}

impl Reply {
    /// The answer of an endpoint that never answers with a pending delete.
    fn done(self, what: &str) -> Result<Answer> {
        match self {
            Reply::Done(answer) => Ok(answer),
            Reply::Pending(_) => Err(CliError::new(
                Code::UnexpectedResponse,
                format!("the platform answered {what} with a pending delete"),
            )),
        }
    }
}

enum Method {
    Get,
    Post,
}

impl Client {
    /// A client for `api_key` at `base_url`; `key_source` says where the key
    /// came from when the platform refuses it.
    pub fn new(base_url: &str, api_key: &str, key_source: &str) -> Result<Client> {
        let timeout = match env::var("CODIKA_TIMEOUT") {
            None => REQUEST_TIMEOUT,
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|s| *s > 0.0 && *s <= MAX_TIMEOUT_SECONDS)
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .ok_or_else(|| {
                    CliError::validation(format!(
                        "CODIKA_TIMEOUT must be a number of seconds between 0 and {MAX_TIMEOUT_SECONDS}, not '{text}'"
                    ))
                })?,
        };
        warn_if_plain_http(base_url, "the API key");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // A redirect would carry X-Process-Manager-Key to another host:
            // a 3xx is an answer like any other, not followed.
            .max_redirects(0)
            .proxy(proxy_for(base_url)?)
            .timeout_connect(Some(CONNECT_TIMEOUT.min(timeout)))
            .timeout_global(Some(timeout))
            .user_agent(format!(
                "codika/{} ({}; {})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH
            ))
            .build()
            .into();
        Ok(Client {
            agent,
            base_url: base_url.to_string(),
            api_key: Zeroizing::new(api_key.to_string()),
            key_source: key_source.to_string(),
        })
    }

    /// `POST /verifyapikey` (protocol §2.5, no body): what the platform
    /// knows about this client's key.
    pub fn verify(&self) -> Result<Identity> {
        let answer = self.send(Method::Post, "/verifyapikey", None)?;
        let answer = match answer {
            Reply::Done(answer) => answer,
            Reply::Pending(answer) => {
                return Err(CliError::new(
                    Code::Http(answer.status),
                    format!(
                        "{}/verifyapikey answered without the key's details",
                        redacted(&self.base_url)
                    ),
                ));
            }
        };
        Ok(Identity::from_answer(&answer.data))
    }

    /// `POST /createintegrationpublic` with a body already written as JSON
    /// text (to keep a custom schema's key order, which miniserde's sorted
    /// objects would lose).
    pub fn create(&self, body: String) -> Result<Answer> {
        self.send(Method::Post, "/createintegrationpublic", Some(body))?
            .done("create")
    }

    /// `POST /deleteintegrationpublic` without `confirmDeletion`: what would
    /// be deactivated (or done, when the platform says so).
    pub fn request_deletion(&self, mut body: Object) -> Result<Deletion> {
        body.insert("confirmDeletion".into(), Value::Bool(false));
        match self.send_json("/deleteintegrationpublic", body)? {
            Reply::Done(answer) => Ok(Deletion::Done(answer)),
            Reply::Pending(answer) => Ok(Deletion::Pending(answer)),
        }
    }

    /// `POST /deleteintegrationpublic` with `confirmDeletion: true`.
    pub fn delete(&self, mut body: Object) -> Result<Answer> {
        body.insert("confirmDeletion".into(), Value::Bool(true));
        self.send_json("/deleteintegrationpublic", body)?
            .done("a confirmed delete")
    }

    /// `POST /listintegrationspublic` for the organization, the calling
    /// member and, when given, the process instance.
    pub fn list(&self, organization_id: Option<&str>, instance: Option<&str>) -> Result<Answer> {
        let mut body = Object::new();
        if let Some(org) = organization_id {
            body.insert("organizationId".into(), Value::String(org.into()));
        }
        if let Some(instance) = instance {
            body.insert("processInstanceId".into(), Value::String(instance.into()));
        }
        self.send_json("/listintegrationspublic", body)?
            .done("list")
    }

    /// `GET /getcredentialschemapublic?type=...`.
    pub fn schema(&self, credential_type: &str) -> Result<Answer> {
        let path = format!(
            "/getcredentialschemapublic?type={}",
            encode_query(credential_type)
        );
        self.send(Method::Get, &path, None)?.done("schema")
    }

    /// The PEM text at `url`, fetched without the API key.
    pub fn public_key(&self, url: &str) -> Result<String> {
        // Whoever can swap the key in transit can read every secret.
        warn_if_plain_http(url, "the encryption key");
        let mut response = self.agent.get(url).call().map_err(|e| network(url, &e))?;
        let status = response.status();
        let text = read_body(url, &mut response)?;
        match text {
            Some(text) if status.is_success() => Ok(text),
            _ => Err(CliError::new(
                Code::Http(status.as_u16()),
                format!(
                    "cannot fetch the public key from {}: HTTP {status}",
                    redacted(url)
                ),
            )),
        }
    }

    fn send_json(&self, path: &str, body: Object) -> Result<Reply> {
        let text = miniserde::json::to_string(&Value::Object(body));
        self.send(Method::Post, path, Some(text))
    }

    /// Every request to the platform's API goes through here: the key in
    /// its header, the answer decoded, a refused key said where it came from.
    fn send(&self, method: Method, path: &str, body: Option<String>) -> Result<Reply> {
        let url = format!("{}{path}", self.base_url);
        let key = self.api_key.as_str();
        let result = match (method, body) {
            (Method::Get, _) => self
                .agent
                .get(&url)
                .header("X-Process-Manager-Key", key)
                .call(),
            (Method::Post, None) => self
                .agent
                .post(&url)
                .header("X-Process-Manager-Key", key)
                .send_empty(),
            (Method::Post, Some(body)) => self
                .agent
                .post(&url)
                .header("X-Process-Manager-Key", key)
                .header("Content-Type", "application/json")
                .send(body),
        };
        decode(&url, result).map_err(|error| {
            if error.code.is_about_the_key() {
                error.detail(format!("the API key came from {}", self.key_source))
            } else {
                error
            }
        })
    }
}

fn network(url: &str, error: &ureq::Error) -> CliError {
    CliError::network(format!(
        "cannot reach {}: {}",
        redacted(url),
        redact_all(&error.to_string())
    ))
}

/// The body as text; `None` when it is not UTF-8 or over [`MAX_BODY`] (not
/// a platform answer, whatever it is).
fn read_body(url: &str, response: &mut ureq::http::Response<ureq::Body>) -> Result<Option<String>> {
    match response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
    {
        Ok(bytes) => Ok(String::from_utf8(bytes).ok()),
        Err(ureq::Error::BodyExceedsLimit(_)) => Ok(None),
        Err(e) => Err(network(url, &e)),
    }
}

fn decode(
    url: &str,
    result: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Reply> {
    let mut response = result.map_err(|e| network(url, &e))?;
    let status = response.status();
    let text = read_body(url, &mut response)?;
    let not_a_platform_answer = || {
        CliError::new(
            Code::Http(status.as_u16()),
            format!(
                "{} answered HTTP {status} without a platform response body",
                redacted(url)
            ),
        )
    };
    let Some(text) = text else {
        return Err(not_a_platform_answer());
    };
    let Ok(Value::Object(mut body)) = miniserde::json::from_str::<Value>(&text) else {
        return Err(not_a_platform_answer());
    };
    match (
        body.remove("success"),
        body.remove("error"),
        body.remove("data"),
    ) {
        (Some(Value::Bool(true)), _, Some(data)) => Ok(Reply::Done(Answer {
            status: status.as_u16(),
            data,
            text,
        })),
        (Some(Value::Bool(false)), Some(Value::Object(mut error)), _) => {
            let code = match error.remove("code") {
                Some(Value::String(code)) if !code.is_empty() => Code::from_platform(&code),
                _ => Code::Http(status.as_u16()),
            };
            let message = match error.remove("message") {
                Some(Value::String(message)) => message,
                _ => format!("HTTP {status}"),
            };
            let mut error = CliError::new(code, message);
            error.body = Some(text);
            Err(error)
        }
        (Some(Value::Bool(false)), None, Some(data)) if has_pending(&data) => {
            Ok(Reply::Pending(Answer {
                status: status.as_u16(),
                data,
                text,
            }))
        }
        _ => Err(not_a_platform_answer()),
    }
}

fn has_pending(data: &Value) -> bool {
    matches!(data, Value::Object(o) if o.contains_key("pendingDeactivations"))
}

fn warn_if_plain_http(url: &str, what: &str) {
    let plain_remote = Url::parse(url).is_some_and(|u| u.scheme == "http" && !u.is_loopback());
    if plain_remote {
        eprintln!(
            "warning: sending {what} over plain HTTP ({}); use https:// outside a trusted network",
            shown(&redacted(url))
        );
    }
}

/// The proxy for the base URL's scheme: `HTTPS_PROXY` for https, `HTTP_PROXY`
/// for http (either case), else `ALL_PROXY`; none when `NO_PROXY` names the
/// host. (ureq's own lookup takes one proxy whatever the scheme.)
fn proxy_for(base_url: &str) -> Result<Option<ureq::Proxy>> {
    let Some(url) = Url::parse(base_url) else {
        return Ok(None);
    };
    let https = url.scheme == "https";
    let names: &[&str] = if https {
        &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
    } else {
        &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
    };
    let Some(proxy) = names.iter().find_map(|name| env::var(name)) else {
        return Ok(None);
    };
    let no_proxy = env::var("NO_PROXY")
        .or_else(|| env::var("no_proxy"))
        .unwrap_or_default();
    if bypasses_proxy(&url.host, &no_proxy) {
        return Ok(None);
    }
    ureq::Proxy::new(&proxy).map(Some).map_err(|e| {
        CliError::validation(format!(
            "invalid proxy '{}': {}",
            redacted(&proxy),
            redact_all(&e.to_string())
        ))
    })
}

/// `NO_PROXY` as curl reads it: `*`, or hosts and domain suffixes.
fn bypasses_proxy(host: &str, no_proxy: &str) -> bool {
    no_proxy
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let entry = entry.trim_start_matches('.').to_ascii_lowercase();
            entry == "*" || host == entry || host.ends_with(&format!(".{entry}"))
        })
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_proxy_matches_hosts_and_domain_suffixes() {
        assert!(super::bypasses_proxy(
            "api.codika.io",
            "localhost, .codika.io"
        ));
        assert!(super::bypasses_proxy("codika.io", "codika.io"));
        assert!(super::bypasses_proxy("anything", "*"));
        assert!(!super::bypasses_proxy("evilcodika.io", "codika.io"));
        assert!(!super::bypasses_proxy("api.codika.io", ""));
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(super::encode_query("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }
}
