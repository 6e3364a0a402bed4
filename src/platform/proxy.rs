/*!
The hop to the proxy: what a failure between the CLI and its proxy, or in
the proxy's answer, must say. The proxy is named by scheme, host and port
only (never its user or password) with the variable it came from, so the
user looks at the proxy, not at the platform.

ureq 3 reaches every URL through an HTTP proxy with `CONNECT`, plain
`http://` included: it cannot send the absolute-form request
(`GET http://host/path`) a forwarding proxy expects. A proxy that tunnels
to port 443 only refuses that `CONNECT`; the error says so and how to do
without (README, Where we differ).
*/

use std::io::ErrorKind;
use std::time::Duration;

use crate::error::CliError;
use crate::platform::trust;
use crate::platform::url::{Url, redact_all, redacted};

/// Long enough for a TLS handshake with a proxy that just did one.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Hop {
    variable: &'static str,
    /// `http://HOST:PORT` or `https://HOST:PORT`.
    shown: String,
    https: bool,
    host: String,
}

impl Hop {
    pub fn new(variable: &'static str, proxy: &ureq::Proxy) -> Hop {
        let https = matches!(proxy.protocol(), ureq::ProxyProtocol::Https);
        let scheme = if https { "https" } else { "http" };
        Hop {
            variable,
            shown: format!("{scheme}://{}:{}", proxy.host(), proxy.port()),
            https,
            host: proxy.host().to_string(),
        }
    }

    /// `the proxy http://HOST:PORT (from HTTPS_PROXY)`.
    pub fn named(&self) -> String {
        format!("the proxy {} (from {})", self.shown, self.variable)
    }

    /// The error for a request to `url` that failed with `error` on the way
    /// to the proxy or in its answer; `None` when it failed past the proxy.
    /// `probe` says whether the proxy's own certificate is refused (asked
    /// only when a refused certificate may be the proxy's or the platform's).
    pub fn failure(
        &self,
        url: &str,
        error: &ureq::Error,
        probe: impl FnOnce(&Hop) -> bool,
    ) -> Option<CliError> {
        let to = Url::parse(url).map(|u| u.host);
        let https_target = Url::parse(url).is_some_and(|u| u.scheme == "https");
        let cannot = |why: &str| {
            Some(CliError::network(format!(
                "cannot reach {} on the way to {}: {why}",
                self.named(),
                redacted(url)
            )))
        };
        match error {
            ureq::Error::ConnectProxyFailed(reason) => {
                let Some(code) = reason
                    .strip_prefix("proxy server responded ")
                    .and_then(|rest| rest.split('/').next())
                    .and_then(|code| code.parse::<u16>().ok())
                else {
                    return cannot(
                        "it closed the connection without answering the CONNECT request",
                    );
                };
                let status = match ureq::http::StatusCode::from_u16(code)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                {
                    Some(reason) => format!("HTTP {code} {reason}"),
                    None => format!("HTTP {code}"),
                };
                let target = to.unwrap_or_else(|| "the platform".into());
                let mut message = match code {
                    407 => format!(
                        "{} refused the request: {status}; check the proxy credentials in {} (http://USER:PASSWORD@HOST:PORT, the password percent-encoded)",
                        self.named(),
                        self.variable
                    ),
                    _ => format!("{} refused to connect to {target}: {status}", self.named()),
                };
                if code != 407 && !https_target {
                    message.push_str(
                        "; this build reaches http:// URLs through a proxy with CONNECT, which many proxies allow to port 443 only: use an https:// URL, or name the host in NO_PROXY",
                    );
                }
                Some(CliError::network(message))
            }
            // A proxy set, nothing is ever dialled but the proxy.
            ureq::Error::HostNotFound => cannot("its host name is unknown"),
            ureq::Error::ConnectionFailed => cannot("no connection could be made"),
            ureq::Error::Io(e) if e.kind() == ErrorKind::ConnectionRefused => {
                cannot("connection refused")
            }
            ureq::Error::Io(e) if e.to_string().starts_with("failed to lookup address") => {
                cannot(&format!(
                    "its host name cannot be resolved ({})",
                    redact_all(&e.to_string())
                ))
            }
            _ => {
                let problem = trust::certificate_error(error)?;
                // Over an https proxy to an https URL, either certificate
                // may be the one refused: the proxy's is checked alone.
                if !self.https || (https_target && !probe(self)) {
                    return None;
                }
                let problem = redact_all(&problem);
                let why = match trust::is_wrong_name(error) {
                    true => trust::wrong_name(&self.host, &problem, self.variable),
                    false => trust::hint(&self.host, &problem),
                };
                cannot(&why)
            }
        }
    }

    /// Whether a TLS handshake with the proxy alone fails on its
    /// certificate (`tls`: the roots the requests trust; `None`: built-in).
    pub fn certificate_refused(&self, tls: Option<ureq::tls::TlsConfig>) -> bool {
        // Every agent is given its roots (ureq is built without a default
        // crypto provider) and the resolver of platform::names.
        let config = ureq::Agent::config_builder()
            .proxy(None)
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(PROBE_TIMEOUT))
            .tls_config(tls.unwrap_or_else(crate::platform::trust::builtin))
            .build();
        let agent = crate::platform::names::agent(config);
        match agent.get(&format!("{}/", self.shown)).call() {
            Ok(_) => false,
            Err(error) => trust::certificate_error(&error).is_some(),
        }
    }
}
