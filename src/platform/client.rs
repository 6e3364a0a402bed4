/*!
The platform's HTTP API (protocol §1–2): one method per endpoint, each
owning its path and body, over one `ureq` agent per run, so the public key
fetch, a `--force` delete and the create share connections. Every request
goes through [`Client::send`], which retries what `retry` calls transient,
each step on its own; the agent trusts what `trust` adds to the built-in
roots. Answers are decided from the body when it is one of the protocol's
shapes, from the status only when it is not; only the delete endpoint can
answer "pending".
*/

use miniserde::json::Value;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;
use zeroize::Zeroizing;

use crate::platform::proxy;

use crate::env;
use crate::error::{CliError, Code, Result};
use crate::platform::identity::Identity;
use crate::platform::names;
use crate::platform::no_proxy::NoProxy;
use crate::platform::retry::{self, Next, Policy};
use crate::platform::trust;
use crate::platform::url::{Url, redact_all, redacted};
use crate::platform::wire::{
    self, ACTIVATE_PATH, CREATE_PATH, CreateRequest, Created, CredentialSchema, DEACTIVATE_PATH,
    DELETE_PATH, DeleteRequest, Deleted, GET_INSTANCE_PATH, InstanceState, IntegrationRef,
    LIST_PATH, ListRequest, Listing, Pending, RERUN_PATH, Rerun, RerunRequest, SCHEMA_PATH, Shape,
    VERIFY_PATH,
};
use crate::ui::sanitize::shown;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// No answer of the platform comes near this; a larger one is refused.
const MAX_BODY: u64 = 16 * 1024 * 1024;
/// A PEM public key (RSA-4096 included) is under 1 KiB: the cap of
/// `--public-key-file` too.
const MAX_PUBLIC_KEY: u64 = 64 << 10;
pub const MAX_TIMEOUT_SECONDS: f64 = 24.0 * 3600.0;

pub struct Client {
    agent: ureq::Agent,
    base_url: String,
    api_key: Zeroizing<String>,
    /// Where the key came from, named when the platform refuses it.
    key_source: String,
    retry: Policy,
    trust: trust::Sources,
    /// The agent was built with the extra CAs (an https base URL): no
    /// request needs them added.
    agent_trusts: bool,
    /// The extra CAs for an https URL of a client whose base URL is http
    /// (a public key URL), loaded at its first use.
    request_trust: OnceLock<ureq::tls::TlsConfig>,
    /// The proxy every request goes through, if any, as errors name it.
    proxy: Option<proxy::Hop>,
}

/// One request as every attempt sends it again.
struct Request<'a> {
    url: &'a str,
    /// `None`: a GET; `Some`: a POST of this JSON text (empty: no body).
    post: Option<&'a str>,
    /// Whether it carries the API key (the public key fetch does not).
    with_key: bool,
    /// A URL other than the base URL's picks its own proxy (by its own
    /// scheme and host, minus `NO_PROXY`); `None`: the agent's.
    route: Option<Route>,
}

/// The proxy one request goes through, chosen from its own URL.
struct Route {
    proxy: Option<ureq::Proxy>,
    hop: Option<proxy::Hop>,
}

impl Route {
    fn for_url(url: &str) -> Result<Route> {
        let proxy = proxy_for(url)?;
        let hop = proxy
            .as_ref()
            .map(|(variable, proxy)| proxy::Hop::new(variable, proxy));
        Ok(Route {
            proxy: proxy.map(|(_, proxy)| proxy),
            hop,
        })
    }
}

/// A response, and what the final error must say of the attempts.
struct Sent {
    response: ureq::http::Response<ureq::Body>,
    attempts: Attempts,
}

/// How many attempts a request took and, when the last one failed in a way
/// worth retrying, a note for the error (when to try again).
#[derive(Default)]
struct Attempts {
    count: u32,
    transient: bool,
    note: Option<String>,
}

impl Attempts {
    /// `error` with the count said (after retries, or a transient failure
    /// that was not retried) and the note, in the message itself so that
    /// `--json` carries them too.
    fn tell(&self, mut error: CliError) -> CliError {
        if self.transient || self.count > 1 {
            let plural = if self.count == 1 { "" } else { "s" };
            error.message = format!("{} (after {} attempt{plural})", error.message, self.count);
        }
        if let Some(note) = &self.note {
            error.message = format!("{}; {note}", error.message);
        }
        error
    }
}

/// A body of one of the protocol's shapes: its `data`, and the whole text.
struct Answer {
    pub status: u16,
    pub data: Value,
    pub text: String,
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
            Reply::Pending(_) => Err(unexpected(
                "",
                &format!("{what} was answered with a pending delete"),
            )),
        }
    }
}

impl Client {
    /// A client for `api_key` at `base_url`; `key_source` says where the key
    /// came from when the platform refuses it; `ca_bundle` is `--ca-bundle`.
    pub fn new(
        base_url: &str,
        api_key: &str,
        key_source: &str,
        ca_bundle: Option<&Path>,
    ) -> Result<Client> {
        let timeout =
            env::seconds("CODIKA_TIMEOUT", MAX_TIMEOUT_SECONDS)?.unwrap_or(REQUEST_TIMEOUT);
        let retry = Policy::from_env()?;
        let trust = trust::Sources::new(ca_bundle)?;
        // Read and parsed only for HTTPS with a CA named: the common run
        // has the built-in roots alone and reads nothing.
        let tls = match is_https(base_url) && !trust.is_empty() {
            true => Some(trust.tls_config()?),
            false => None,
        };
        warn_if_plain_http(base_url, "the API key");
        crate::ui::sanitize::hide(api_key);
        let config =
            ureq::Agent::config_builder().tls_config(tls.clone().unwrap_or_else(trust::builtin));
        let proxy = proxy_for(base_url)?;
        let hop = proxy
            .as_ref()
            .map(|(variable, proxy)| proxy::Hop::new(variable, proxy));
        let agent = config
            .http_status_as_error(false)
            // A redirect would carry X-Process-Manager-Key to another host:
            // a 3xx is an answer like any other, not followed.
            .max_redirects(0)
            .proxy(proxy.map(|(_, proxy)| proxy))
            .timeout_connect(Some(CONNECT_TIMEOUT.min(timeout)))
            .timeout_global(Some(timeout))
            .user_agent(format!(
                "codika/{} ({}; {})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH
            ))
            .build();
        let agent = names::agent(agent);
        Ok(Client {
            agent,
            base_url: base_url.to_string(),
            api_key: Zeroizing::new(api_key.to_string()),
            key_source: key_source.to_string(),
            retry,
            agent_trusts: tls.is_some(),
            trust,
            request_trust: OnceLock::new(),
            proxy: hop,
        })
    }

    /// `POST /verifyapikey` (protocol §2.5, no body): what the platform
    /// knows about this client's key.
    pub fn verify(&self) -> Result<Identity> {
        let answer = self.call(VERIFY_PATH, Some(""))?.done("verifyapikey")?;
        expect(VERIFY_PATH, wire::decode_identity(&answer.data))
    }

    /// `POST /createintegrationpublic`.
    pub fn create(&self, request: &CreateRequest) -> Result<Created> {
        let answer = self
            .call(CREATE_PATH, Some(&request.to_json()))?
            .done("create")?;
        expect(
            CREATE_PATH,
            wire::same_target(&answer.data, &request.integration),
        )?;
        expect(
            CREATE_PATH,
            Created::decode(answer.status, &answer.data, answer.text),
        )
    }

    /// `POST /deleteintegrationpublic` without `confirmDeletion`: what would
    /// be deactivated. The platform deletes nothing then, so an answer
    /// saying it deleted is not one of its answers.
    pub fn request_deletion(&self, integration: &IntegrationRef) -> Result<Pending> {
        let request = DeleteRequest {
            integration: integration.clone(),
            confirm: false,
        };
        match self.call(DELETE_PATH, Some(&request.to_json()))? {
            Reply::Pending(answer) => {
                expect(DELETE_PATH, wire::same_target(&answer.data, integration))?;
                expect(DELETE_PATH, Pending::decode(&answer.data, answer.text))
            }
            Reply::Done(_) => Err(unexpected(
                DELETE_PATH,
                "a delete without confirmDeletion was answered as done, not with what it would deactivate",
            )),
        }
    }

    /// `POST /deleteintegrationpublic` with `confirmDeletion: true`.
    pub fn delete(&self, integration: &IntegrationRef) -> Result<Deleted> {
        let request = DeleteRequest {
            integration: integration.clone(),
            confirm: true,
        };
        let answer = self
            .call(DELETE_PATH, Some(&request.to_json()))?
            .done("a confirmed delete")?;
        expect(DELETE_PATH, wire::same_target(&answer.data, integration))?;
        expect(DELETE_PATH, Deleted::decode(&answer.data, answer.text))
    }

    /// `POST /listintegrationspublic` for the organization, the calling
    /// member and, when given, the process instance.
    pub fn list(&self, request: &ListRequest) -> Result<Listing> {
        let answer = self
            .call(LIST_PATH, Some(&request.to_json()))?
            .done("list")?;
        expect(
            LIST_PATH,
            Listing::decode(&answer.data, &answer.text, request.instance.as_deref()),
        )
    }

    /// `GET /getcredentialschemapublic?type=...`.
    pub fn schema(&self, credential_type: &str) -> Result<CredentialSchema> {
        let answer = self
            .call(&wire::schema_path(credential_type), None)?
            .done("schema")?;
        expect(
            SCHEMA_PATH,
            CredentialSchema::decode(&answer.data, &answer.text),
        )
    }

    /// `POST /redeploydeploymentinstancepublic` (docs/deployments.md).
    pub fn rerun_deployment(&self, request: &RerunRequest) -> Result<Rerun> {
        let answer = self
            .call(RERUN_PATH, Some(&request.to_json()))?
            .done("a rerun")?;
        expect(RERUN_PATH, Rerun::decode(&answer.data))
    }

    /// `POST /activateprocessinstancepublic` (or deactivate, when `!active`).
    pub fn set_instance_active(&self, instance: &str, active: bool) -> Result<InstanceState> {
        let path = if active {
            ACTIVATE_PATH
        } else {
            DEACTIVATE_PATH
        };
        let answer = self
            .call(path, Some(&wire::instance_request(instance)))?
            .done(path)?;
        expect(path, InstanceState::decode(&answer.data, instance, active))
    }

    /// `POST /getprocessinstancepublic`: the status of the instance's
    /// deployment; `None` when it has none.
    pub fn deployment_status(&self, instance: &str) -> Result<Option<String>> {
        let answer = self
            .call(GET_INSTANCE_PATH, Some(&wire::instance_request(instance)))?
            .done(GET_INSTANCE_PATH)?;
        expect(
            GET_INSTANCE_PATH,
            wire::decode_deployment_status(&answer.data, instance),
        )
    }

    /// The PEM text at `url`, fetched without the API key.
    pub fn public_key(&self, url: &str) -> Result<String> {
        // Whoever can swap the key in transit can read every secret.
        warn_if_plain_http(url, "the encryption key");
        let Sent {
            mut response,
            attempts,
        } = self.send(&Request {
            url,
            post: None,
            with_key: false,
            route: Some(Route::for_url(url)?),
        })?;
        let status = response.status();
        let read = response
            .body_mut()
            .with_config()
            .limit(MAX_PUBLIC_KEY)
            .read_to_vec();
        let text = match read {
            Ok(bytes) => String::from_utf8(bytes).ok(),
            Err(ureq::Error::BodyExceedsLimit(_)) if status.is_success() => {
                return Err(attempts.tell(CliError::new(
                    Code::InvalidPublicKey,
                    format!(
                        "the public key from {} is larger than {} KiB, which no public key is; check --public-key-url",
                        redacted(url),
                        MAX_PUBLIC_KEY >> 10
                    ),
                )));
            }
            Err(ureq::Error::BodyExceedsLimit(_)) => None,
            Err(e) => return Err(attempts.tell(network(url, &e))),
        };
        match text {
            Some(text) if status.is_success() => Ok(text),
            _ => Err(attempts.tell(CliError::new(
                Code::Http(status.as_u16()),
                format!(
                    "cannot fetch the public key from {}: HTTP {status}",
                    redacted(url)
                ),
            ))),
        }
    }

    /// A request to the platform's API at `path`: the key in its header
    /// (a GET without `post`, else a POST of that JSON text, empty for none),
    /// the answer decoded, a refused key said where it came from.
    fn call(&self, path: &str, post: Option<&str>) -> Result<Reply> {
        let url = format!("{}{path}", self.base_url);
        let sent = self.send(&Request {
            url: &url,
            post,
            with_key: true,
            route: None,
        });
        let reply = sent.and_then(|Sent { response, attempts }| {
            decode(&url, path, response).map_err(|e| attempts.tell(e))
        });
        reply.map_err(|error| {
            if error.code.is_about_the_key() {
                error.detail(format!("the API key came from {}", self.key_source))
            } else {
                error
            }
        })
    }

    /// Sends `request`, again after each transient failure while attempts
    /// are left, with a line on stderr for each retry (stdout is the final
    /// outcome's alone). The one way out to the network.
    fn send(&self, request: &Request<'_>) -> Result<Sent> {
        let tls = self.request_trust(request.url)?;
        let mut attempts = Attempts::default();
        loop {
            attempts.count += 1;
            let result = self.send_once(request, tls);
            let (failure, retry_after) = match &result {
                Ok(response) if retry::is_transient_status(response.status().as_u16()) => (
                    format!(
                        "{} answered HTTP {}",
                        redacted(request.url),
                        response.status()
                    ),
                    response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(retry::retry_after),
                ),
                Err(error) if retry::is_transient_error(error) => {
                    (self.failure(request, error).message, None)
                }
                _ => break self.wrap(result, request, attempts),
            };
            match self.retry.next(attempts.count, retry_after) {
                Next::Wait(wait) => {
                    crate::ui::streams::err_line(&format!(
                        "retrying: {} (attempt {} of {}); next attempt in {}{}",
                        shown(&failure),
                        attempts.count,
                        self.retry.attempts,
                        retry::seconds(wait),
                        if retry_after.is_some() {
                            ", as Retry-After asks"
                        } else {
                            ""
                        }
                    ));
                    std::thread::sleep(wait);
                }
                Next::Stop(note) => {
                    attempts.transient = true;
                    attempts.note = note;
                    break self.wrap(result, request, attempts);
                }
            }
        }
    }

    fn send_once(
        &self,
        request: &Request<'_>,
        tls: Option<&ureq::tls::TlsConfig>,
    ) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let key = request.with_key.then_some(self.api_key.as_str());
        match request.post {
            None => {
                let mut builder = self.agent.get(request.url);
                if let Some(key) = key {
                    builder = builder.header("X-Process-Manager-Key", key);
                }
                match (tls, &request.route) {
                    (None, None) => builder.call(),
                    (tls, route) => {
                        let mut config = builder.config();
                        if let Some(tls) = tls {
                            config = config.tls_config(tls.clone());
                        }
                        if let Some(route) = route {
                            config = config.proxy(route.proxy.clone());
                        }
                        config.build().call()
                    }
                }
            }
            Some(body) => {
                let mut builder = self.agent.post(request.url);
                if let Some(key) = key {
                    builder = builder.header("X-Process-Manager-Key", key);
                }
                if let Some(tls) = tls {
                    builder = builder.config().tls_config(tls.clone()).build();
                }
                if let Some(route) = &request.route {
                    builder = builder.config().proxy(route.proxy.clone()).build();
                }
                if body.is_empty() {
                    builder.send_empty()
                } else {
                    builder
                        .header("Content-Type", "application/json")
                        .send(body)
                }
            }
        }
    }

    /// The outcome of the last attempt, its error telling the attempts.
    fn wrap(
        &self,
        result: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        request: &Request<'_>,
        mut attempts: Attempts,
    ) -> Result<Sent> {
        match result {
            Ok(response) => Ok(Sent { response, attempts }),
            Err(error) => {
                attempts.transient |= retry::is_transient_error(&error);
                Err(attempts.tell(self.failure(request, &error)))
            }
        }
    }

    /// What a request to `url` that failed with `error` must say: the
    /// proxy when the failure was on the way to it or its answer, else
    /// the platform (reached through the proxy, when there is one).
    fn failure(&self, request: &Request<'_>, error: &ureq::Error) -> CliError {
        let url = request.url;
        let hop = match &request.route {
            Some(route) => route.hop.as_ref(),
            None => self.proxy.as_ref(),
        };
        let Some(hop) = hop else {
            return network(url, error);
        };
        let probe = |hop: &proxy::Hop| {
            let tls = match self.trust.is_empty() {
                true => None,
                false => self.trust.tls_config().ok(),
            };
            hop.certificate_refused(tls)
        };
        match hop.failure(url, error, probe) {
            Some(error) => error,
            None => {
                let mut error = network(url, error);
                error.message = error.message.replacen(
                    &format!("cannot reach {}", redacted(url)),
                    &format!("cannot reach {} through {}", redacted(url), hop.named()),
                    1,
                );
                error
            }
        }
    }

    /// The extra CAs for `url` when the agent lacks them: an https URL of a
    /// client made for an http base URL (a public key elsewhere).
    fn request_trust(&self, url: &str) -> Result<Option<&ureq::tls::TlsConfig>> {
        if self.agent_trusts || self.trust.is_empty() || !is_https(url) {
            return Ok(None);
        }
        if self.request_trust.get().is_none() {
            let _ = self.request_trust.set(self.trust.tls_config()?);
        }
        Ok(self.request_trust.get())
    }
}

fn is_https(url: &str) -> bool {
    Url::parse(url).is_some_and(|u| u.scheme == "https")
}

fn network(url: &str, error: &ureq::Error) -> CliError {
    if let Some(problem) = trust::certificate_error(error) {
        // Named by the host the user asked for: behind a TLS-inspecting
        // proxy the certificate is the proxy's, for that name.
        let host = Url::parse(url).map(|u| u.host).unwrap_or_default();
        let problem = redact_all(&problem);
        let why = match trust::is_wrong_name(error) {
            true => trust::wrong_name(&host, &problem, "the URL"),
            false => trust::hint(&host, &problem),
        };
        return CliError::network(format!("cannot reach {}: {why}", redacted(url)));
    }
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

/// The one place an answer's status and body are read together: a
/// `success: true` counts only with a 2xx status (any other is an error,
/// whatever its body says); an error or pending body counts with any status
/// (protocol §1); anything else is the status's error.
fn decode(url: &str, path: &str, mut response: ureq::http::Response<ureq::Body>) -> Result<Reply> {
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
        (Some(Value::Bool(true)), _, _) if !status.is_success() => {
            let path = path.split('?').next().unwrap_or(path);
            // Not printed as received: its `success: true` would contradict the exit code.
            Err(unexpected(
                path,
                &format!("HTTP {status} with success: true"),
            ))
        }
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

/// An answer of the protocol's shapes that is not the shape of `path`'s
/// answers: never a success, never "nothing there".
fn unexpected(path: &str, what: &str) -> CliError {
    let at = if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    };
    CliError::new(
        Code::UnexpectedResponse,
        format!("unexpected answer from the platform ({at}{what})"),
    )
}

/// A decoded answer, or the error naming what was wrong with it.
fn expect<T>(path: &str, decoded: std::result::Result<T, Shape>) -> Result<T> {
    decoded.map_err(|Shape(what)| unexpected(path, &what))
}

fn has_pending(data: &Value) -> bool {
    matches!(data, Value::Object(o) if o.contains_key("pendingDeactivations"))
}

fn warn_if_plain_http(url: &str, what: &str) {
    let plain_remote = Url::parse(url).is_some_and(|u| u.scheme == "http" && !u.is_loopback());
    if plain_remote {
        crate::ui::streams::err_line(&format!(
            "warning: sending {what} over plain HTTP ({}); use https:// outside a trusted network",
            shown(&redacted(url))
        ));
    }
}

/// The proxy for the base URL's scheme: `HTTPS_PROXY` for https, `HTTP_PROXY`
/// for http (either case), else `ALL_PROXY`; none when `NO_PROXY` names the
/// host. (ureq's own lookup takes one proxy whatever the scheme.) With the
/// name of the variable it came from.
fn proxy_for(base_url: &str) -> Result<Option<(&'static str, ureq::Proxy)>> {
    let Some(url) = Url::parse(base_url) else {
        return Ok(None);
    };
    let https = url.scheme == "https";
    let names: &[&'static str] = if https {
        &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
    } else {
        &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
    };
    let Some((name, proxy)) = env::first_text(names)? else {
        return Ok(None);
    };
    if let Some((no_proxy_name, list)) = env::first_text(&["NO_PROXY", "no_proxy"])? {
        let no_proxy = NoProxy::parse(&list).map_err(|problem| {
            CliError::validation(format!(
                "{no_proxy_name} cannot be read: {problem}; fix it or unset it"
            ))
        })?;
        let port = url.port.unwrap_or(if https { 443 } else { 80 });
        if no_proxy.bypasses(&url.host, port) {
            return Ok(None);
        }
    }
    // Parsed here first: ureq reads a port it cannot parse as the default.
    let checked = crate::platform::url::parse_proxy(&proxy).map_err(|problem| {
        CliError::validation(format!(
            "{name} is not a valid proxy URL ('{}'): {problem}",
            redacted(&proxy)
        ))
    })?;
    if !checked.scheme.starts_with("socks") && !matches!(checked.scheme.as_str(), "http" | "https")
    {
        return Err(CliError::validation(format!(
            "{name} is not a valid proxy URL ('{}'): give http://HOST:PORT",
            redacted(&proxy)
        )));
    }
    let parsed = ureq::Proxy::new(&proxy).map_err(|e| {
        CliError::validation(format!(
            "invalid proxy '{}' in {name}: {}",
            redacted(&proxy),
            redact_all(&e.to_string())
        ))
    })?;
    // Built without ureq's SOCKS support, which would panic at connect time.
    use ureq::ProxyProtocol::{Http, Https};
    if !matches!(parsed.protocol(), Http | Https) {
        return Err(CliError::validation(format!(
            "{name} names a SOCKS proxy ('{}'), which this build cannot use: give an HTTP proxy (http://HOST:PORT)",
            redacted(&proxy)
        )));
    }
    Ok(Some((name, parsed)))
}
