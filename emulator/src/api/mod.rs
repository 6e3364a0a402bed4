/*!
The platform's HTTP API (protocol §2): routing, authentication by
`X-Process-Manager-Key`, scopes, and the success / error envelopes of §1.
*/

mod authority;
mod body;
mod deployments;
mod error;
mod integrations;
mod lookup;
mod testing;

use miniserde::json::Value;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

pub use error::ApiError;

use crate::clock;
use crate::http::{Handler, Refusal, Request, Response, Stats};
use crate::keys::PlatformKey;
use crate::state::{ApiKey, State};
use crate::store::Store;

pub struct Platform {
    pub store: Store,
    pub key: PlatformKey,
    /// What `POST /_emulator/reset` goes back to.
    pub seed: State,
    pub stats: Arc<Stats>,
    /// Served under this path prefix (`/v1`), or at the root when empty.
    pub prefix: String,
    /// The `--listen` text: a `Host` API routes accept besides loopback names.
    pub listen: String,
    pub quiet: bool,
    /// Bodies set by `POST /_emulator/answer`, by API path: what a hostile
    /// or broken platform would answer, for the CLI's tests.
    pub canned: std::sync::Mutex<std::collections::BTreeMap<String, (u16, String)>>,
    /// Paths whose answers wait first (`Options::slow_paths`).
    pub slow_paths: Vec<(String, std::time::Duration)>,
}

/// What a handler answers besides an error.
enum Reply {
    /// `{"success": true, "data": ...}` with this status.
    Success(u16, Value),
    /// `{"success": false, "data": ...}`: a delete waiting for confirmation.
    Pending(Value),
}

type Answer = Result<Reply, ApiError>;

#[derive(Clone, Copy)]
enum Route {
    PublicKey,
    Create,
    Delete,
    List,
    Schema,
    Verify,
    Rerun,
    GetInstance,
    Activate,
    Deactivate,
    Reset,
    Dump,
    Stats,
    Canned,
}

const ROUTES: [(&str, &str, Route, bool); 14] = [
    ("/encryption/public.pem", "GET", Route::PublicKey, false),
    ("/createintegrationpublic", "POST", Route::Create, false),
    ("/deleteintegrationpublic", "POST", Route::Delete, false),
    ("/listintegrationspublic", "POST", Route::List, false),
    ("/getcredentialschemapublic", "GET", Route::Schema, false),
    ("/verifyapikey", "POST", Route::Verify, false),
    (
        "/redeploydeploymentinstancepublic",
        "POST",
        Route::Rerun,
        false,
    ),
    (
        "/getprocessinstancepublic",
        "POST",
        Route::GetInstance,
        false,
    ),
    (
        "/activateprocessinstancepublic",
        "POST",
        Route::Activate,
        false,
    ),
    (
        "/deactivateprocessinstancepublic",
        "POST",
        Route::Deactivate,
        false,
    ),
    // Test-only routes, for loopback clients alone (protocol §5).
    ("/_emulator/reset", "POST", Route::Reset, true),
    ("/_emulator/integrations", "GET", Route::Dump, true),
    ("/_emulator/stats", "GET", Route::Stats, true),
    ("/_emulator/answer", "POST", Route::Canned, true),
];

/// The authenticated caller of a request.
pub struct Caller {
    pub key: ApiKey,
}

impl Handler for Platform {
    fn handle(&self, request: &Request) -> Response {
        // A bug in a handler must answer 500, not kill the connection thread
        // silently or take anything else down.
        std::panic::catch_unwind(AssertUnwindSafe(|| self.route(request)))
            .unwrap_or_else(|_| error_response(&ApiError::new(500, "INTERNAL", "internal error")))
    }

    fn refuse(&self, refusal: Refusal) -> Response {
        error_response(&match refusal {
            Refusal::Malformed(reason) => {
                ApiError::invalid(format!("malformed HTTP request: {reason}"))
            }
            Refusal::TooLarge => {
                ApiError::new(413, "PAYLOAD_TOO_LARGE", "request body is over 1 MiB")
            }
            Refusal::Busy => {
                ApiError::new(503, "UNAVAILABLE", "every connection is busy; try again")
            }
        })
    }

    fn log(&self, method: &str, path: &str, status: u16, elapsed: Duration) {
        if !self.quiet {
            // A closed stderr (`| head`) must not take a connection down.
            let _ = writeln!(
                std::io::stderr(),
                "{method} {path} {status} {}ms",
                elapsed.as_millis()
            );
        }
    }
}

impl Platform {
    pub(crate) fn route(&self, request: &Request) -> Response {
        let host = request.header("host").unwrap_or("");
        if !authority::is_api_host(host, request.local, &self.listen) {
            return error_response(&misdirected());
        }
        let Some(path) = request.path.strip_prefix(self.prefix.as_str()) else {
            return error_response(&not_found());
        };
        let route = match find_route(
            path,
            &request.method,
            request.peer.ip().to_canonical().is_loopback(),
        ) {
            Ok(route) => route,
            Err((error, allowed)) => {
                let mut response = error_response(&error);
                response
                    .headers
                    .extend(allowed.map(|m| ("Allow", m.to_string())));
                return response;
            }
        };
        if route.is_test_only()
            && let Err(error) = test_route_allowed(request)
        {
            return error_response(&error);
        }
        if !route.is_test_only() {
            self.stats.count_path(path);
            if let Some((_, delay)) = self.slow_paths.iter().find(|(p, _)| p == path) {
                std::thread::sleep(*delay);
            }
        }
        if !route.is_test_only()
            && let Some((status, body)) = self.canned_for(path)
        {
            return Response::json(status, body);
        }
        let answer = match route {
            Route::PublicKey => {
                return Response {
                    status: 200,
                    content_type: "application/x-pem-file",
                    body: self.key.public_pem().as_bytes().to_vec(),
                    headers: Vec::new(),
                };
            }
            Route::Schema => return self.schema(request),
            Route::Create => self.create(request),
            Route::Delete => self.delete(request),
            Route::List => self.list(request),
            Route::Verify => self.verify(request),
            Route::Rerun => self.rerun(request),
            Route::GetInstance => self.get_instance(request),
            Route::Activate => self.activate(request),
            Route::Deactivate => self.deactivate(request),
            Route::Reset => self.reset(),
            Route::Dump => self.dump(),
            Route::Stats => Ok(Reply::Success(200, self.stats_data())),
            Route::Canned => self.set_canned(request),
        };
        match answer {
            Ok(Reply::Success(status, data)) => envelope_response(status, true, data),
            Ok(Reply::Pending(data)) => envelope_response(200, false, data),
            Err(error) => error_response(&error),
        }
    }

    /// Checks the API key (and `scope`, when one is needed) against `state`.
    fn authenticate(
        &self,
        request: &Request,
        state: &State,
        scope: Option<&str>,
    ) -> Result<Caller, ApiError> {
        let presented = request.header("x-process-manager-key").unwrap_or("").trim();
        if presented.is_empty() {
            return Err(ApiError::new(
                401,
                "UNAUTHORIZED",
                "missing X-Process-Manager-Key header",
            ));
        }
        let key = state
            .api_key(presented)
            .ok_or_else(|| ApiError::new(401, "UNAUTHORIZED", "invalid API key"))?;
        if let Some(expires_at) = &key.expires_at
            && expires_at.as_str() <= clock::now_iso().as_str()
        {
            return Err(ApiError::new(
                401,
                "API_KEY_EXPIRED",
                format!("API key expired at {expires_at}; create a new key in the dashboard"),
            ));
        }
        if let Some(scope) = scope
            && !key.scopes.iter().any(|s| s == scope)
        {
            return Err(ApiError::new(
                403,
                "INSUFFICIENT_SCOPE",
                format!("API key lacks the required scope: {scope}"),
            ));
        }
        Ok(Caller { key: key.clone() })
    }
}

impl Route {
    fn is_test_only(self) -> bool {
        matches!(
            self,
            Route::Reset | Route::Dump | Route::Stats | Route::Canned
        )
    }
}

/// Test-only routes hand out decrypted secrets and reset the state: only a
/// loopback `Host`, and no `Origin` but a loopback one (a page elsewhere
/// cannot reach them from a browser).
fn test_route_allowed(request: &Request) -> Result<(), ApiError> {
    let host = request.header("host").unwrap_or("");
    if !authority::is_loopback_host(host, request.local) {
        return Err(misdirected());
    }
    match request.header("origin") {
        Some(origin) if !authority::is_loopback_origin(origin, request.local) => {
            Err(ApiError::new(
                403,
                "FORBIDDEN_ORIGIN",
                "test-only routes refuse foreign origins",
            ))
        }
        _ => Ok(()),
    }
}

fn misdirected() -> ApiError {
    ApiError::new(
        421,
        "MISDIRECTED_REQUEST",
        "the Host header does not name this emulator (use localhost or 127.0.0.1)",
    )
}

/// The route for `path` and `method`. Test-only routes do not exist for a
/// client that is not on loopback. On error, also the method to allow (405).
fn find_route(
    path: &str,
    method: &str,
    loopback: bool,
) -> Result<Route, (ApiError, Option<&'static str>)> {
    let mut known = ROUTES
        .iter()
        .filter(|(p, _, _, test_only)| *p == path && (loopback || !test_only))
        .peekable();
    let allowed = known.peek().map(|(_, m, _, _)| *m);
    match known.find(|(_, m, _, _)| *m == method) {
        Some((_, _, route, _)) => Ok(*route),
        None => match allowed {
            None => Err((not_found(), None)),
            Some(allowed) => Err((
                ApiError::new(
                    405,
                    "METHOD_NOT_ALLOWED",
                    format!("{method} is not allowed on {path}; use {allowed}"),
                ),
                Some(allowed),
            )),
        },
    }
}

fn not_found() -> ApiError {
    ApiError::new(404, "NOT_FOUND", "no such endpoint")
}

pub fn request_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("req_{hex}")
}

fn envelope_response(status: u16, success: bool, data: Value) -> Response {
    let body = crate::json::object([
        ("success", Value::Bool(success)),
        ("data", data),
        ("requestId", crate::json::string(request_id())),
    ]);
    Response::json(status, miniserde::json::to_string(&body))
}

fn error_response(error: &ApiError) -> Response {
    let body = crate::json::object([
        ("success", Value::Bool(false)),
        (
            "error",
            crate::json::object([
                ("code", crate::json::string(error.code)),
                ("message", crate::json::string(error.message.clone())),
            ]),
        ),
        ("requestId", crate::json::string(request_id())),
    ]);
    Response::json(error.status, miniserde::json::to_string(&body))
}

#[cfg(test)]
mod tests {
    use super::{Route, find_route};

    #[test]
    fn test_only_routes_do_not_exist_off_loopback() {
        for (path, method) in [
            ("/_emulator/reset", "POST"),
            ("/_emulator/integrations", "GET"),
            ("/_emulator/stats", "GET"),
            ("/_emulator/answer", "POST"),
        ] {
            assert!(find_route(path, method, true).is_ok());
            let (error, allowed) = find_route(path, method, false).err().unwrap();
            assert_eq!(
                (error.status, error.code, allowed),
                (404, "NOT_FOUND", None)
            );
        }
        assert!(matches!(
            find_route("/listintegrationspublic", "POST", false),
            Ok(Route::List)
        ));
        let (error, allowed) = find_route("/listintegrationspublic", "GET", false)
            .err()
            .unwrap();
        assert_eq!((error.status, allowed), (405, Some("POST")));
    }
}
