/*!
The platform's HTTP API (protocol §1–2): one `ureq` agent per run, so the
public key fetch, a `--force` delete and the create share connections.
Answers are decided from the body when it is one of the protocol's shapes,
from the status only when it is not.
*/

use miniserde::json::Value;
use std::time::Duration;
use zeroize::Zeroizing;

use crate::resolve::Setting;

use crate::env;
use crate::error::{CliError, Kind, Result};
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

pub enum Reply {
    Done(Answer),
    /// A delete waiting for confirmation (`success: false` with `data`).
    Pending(Answer),
}

impl Client {
    pub fn new(setting: &Setting) -> Result<Client> {
        Client::for_key(
            &setting.base_url,
            &setting.api_key,
            &setting.key_source.to_string(),
        )
    }

    /// A client for `api_key` at `base_url`; `key_source` says where the key
    /// came from when the platform refuses it.
    pub fn for_key(base_url: &str, api_key: &str, key_source: &str) -> Result<Client> {
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

    /// `POST /verifyapikey` (protocol §2.5, no body): the `data` the
    /// platform answers about this client's key.
    pub fn verify_key(&self) -> Result<Value> {
        let url = format!("{}/verifyapikey", self.base_url);
        let result = self
            .agent
            .post(&url)
            .header("X-Process-Manager-Key", self.api_key.as_str())
            .send_empty();
        match self.decode(&url, result)? {
            Reply::Done(answer) => Ok(answer.data),
            Reply::Pending(answer) => Err(CliError::api(
                format!("HTTP_{}", answer.status),
                format!("{} answered without the key's details", redacted(&url)),
            )),
        }
    }

    pub fn post(&self, path: &str, body: &Value) -> Result<Reply> {
        self.post_text(path, miniserde::json::to_string(body))
    }

    /// Posts a body already written as JSON text (to keep a key order that
    /// `miniserde`'s sorted objects would lose).
    pub fn post_text(&self, path: &str, body: String) -> Result<Reply> {
        let url = format!("{}{path}", self.base_url);
        let result = self
            .agent
            .post(&url)
            .header("X-Process-Manager-Key", self.api_key.as_str())
            .header("Content-Type", "application/json")
            .send(body);
        self.decode(&url, result)
    }

    pub fn get(&self, path_and_query: &str) -> Result<Reply> {
        let url = format!("{}{path_and_query}", self.base_url);
        let result = self
            .agent
            .get(&url)
            .header("X-Process-Manager-Key", self.api_key.as_str())
            .call();
        self.decode(&url, result)
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
            _ => Err(CliError::api(
                format!("HTTP_{}", status.as_u16()),
                format!(
                    "cannot fetch the public key from {}: HTTP {status}",
                    redacted(url)
                ),
            )),
        }
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

impl Client {
    fn decode(
        &self,
        url: &str,
        result: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Reply> {
        let reply = decode(url, result);
        match reply {
            Err(error)
                if matches!(
                    error.code.as_str(),
                    "UNAUTHORIZED" | "API_KEY_EXPIRED" | "INSUFFICIENT_SCOPE"
                ) =>
            {
                Err(error.detail(format!("the API key came from {}", self.key_source)))
            }
            other => other,
        }
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
        CliError::api(
            format!("HTTP_{}", status.as_u16()),
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
                Some(Value::String(code)) if !code.is_empty() => code,
                _ => format!("HTTP_{}", status.as_u16()),
            };
            let message = match error.remove("message") {
                Some(Value::String(message)) => message,
                _ => format!("HTTP {status}"),
            };
            // The platform's refusals of what the user gave are validation
            // errors (exit 2), as the documentation's exit codes say.
            let kind = match code.as_str() {
                "MISSING_REQUIRED_FIELDS" | "OAUTH_REQUIRED" | "INVALID_CUSTOM_SCHEMA" => {
                    Kind::Validation
                }
                _ => Kind::Api,
            };
            let mut error = CliError::new(kind, code, message);
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
