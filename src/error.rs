/*!
One error type for the whole CLI, and every exit code in one place. An
error carries what the user must read (a one-line message saying what was
wrong and how to fix it) and a [`Code`], which decides the exit code: 2 for
what the user gave (validation), 1 for API and network failures. A command
that ends without an error ends with an [`Outcome`], some of which are not
success either (a pending delete). Only `main` prints and exits.
*/

use miniserde::json::Value;

/// What went wrong, as `--json` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// Our own check of what the user gave: `VALIDATION_ERROR`.
    Validation,
    /// An OAuth integration: connected in the dashboard, not here.
    OAuthRequired,
    /// No answer at all: refused, reset, timed out, DNS.
    Network,
    /// An answer that is not one of the protocol's shapes (a proxy's page).
    Http(u16),
    /// An answer of the protocol's shapes, but not the one asked for.
    UnexpectedResponse,
    InvalidPublicKey,
    EncryptionFailed,
    NoRandomSource,
    /// A local file could not be written or read for a reason that is not
    /// the user's input (a full disk, an I/O error): `IO_ERROR`, exit 1.
    Io,
    /// The platform's own `error.code`: `UNAUTHORIZED`, `MISSING_REQUIRED_FIELDS`, ...
    Platform(String),
}

impl Code {
    /// The platform's `error.code`, as a code of ours where it is one.
    pub fn from_platform(code: &str) -> Code {
        match code {
            "OAUTH_REQUIRED" => Code::OAuthRequired,
            "VALIDATION_ERROR" => Code::Validation,
            _ => Code::Platform(code.to_string()),
        }
    }

    pub fn as_str(&self) -> String {
        match self {
            Code::Validation => "VALIDATION_ERROR".into(),
            Code::OAuthRequired => "OAUTH_REQUIRED".into(),
            Code::Network => "NETWORK_ERROR".into(),
            Code::Http(status) => format!("HTTP_{status}"),
            Code::UnexpectedResponse => "UNEXPECTED_RESPONSE".into(),
            Code::InvalidPublicKey => "INVALID_PUBLIC_KEY".into(),
            Code::EncryptionFailed => "ENCRYPTION_FAILED".into(),
            Code::NoRandomSource => "NO_RANDOM_SOURCE".into(),
            Code::Io => "IO_ERROR".into(),
            Code::Platform(code) => code.clone(),
        }
    }

    /// The user gave something wrong (ours or the platform's verdict): exit
    /// 2, as the documentation's exit codes say.
    pub fn is_users_input(&self) -> bool {
        match self {
            Code::Validation | Code::OAuthRequired => true,
            Code::Platform(code) => {
                matches!(
                    code.as_str(),
                    "MISSING_REQUIRED_FIELDS" | "INVALID_CUSTOM_SCHEMA"
                )
            }
            _ => false,
        }
    }

    /// The platform refused the API key itself: say where the key came from.
    pub fn is_about_the_key(&self) -> bool {
        matches!(self, Code::Platform(code) if matches!(code.as_str(), "UNAUTHORIZED" | "API_KEY_EXPIRED" | "INSUFFICIENT_SCOPE"))
    }

    /// No platform answered (nothing, or something that is not the platform).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Code::Network | Code::Http(_))
    }

    /// Worth printing after the message: a code that tells more than it.
    pub fn is_named(&self) -> bool {
        !matches!(
            self,
            Code::Validation | Code::OAuthRequired | Code::Network | Code::Http(_) | Code::Io
        )
    }
}

#[derive(Debug, Clone)]
pub struct CliError {
    pub code: Code,
    pub message: String,
    /// More lines for a human (indented under the message), e.g. a dashboard URL.
    pub details: Vec<String>,
    /// Extra fields of the `--json` error object, e.g. `dashboardUrl`.
    pub extra: Vec<(&'static str, Value)>,
    /// The platform's own error body, printed as is with `--json`.
    pub body: Option<String>,
}

impl CliError {
    pub fn new(code: Code, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
            details: Vec::new(),
            extra: Vec::new(),
            body: None,
        }
    }

    pub fn validation(message: impl Into<String>) -> CliError {
        CliError::new(Code::Validation, message)
    }

    pub fn network(message: impl Into<String>) -> CliError {
        CliError::new(Code::Network, message)
    }

    pub fn detail(mut self, line: impl Into<String>) -> CliError {
        self.details.push(line.into());
        self
    }

    pub fn with(mut self, key: &'static str, value: Value) -> CliError {
        self.extra.push((key, value));
        self
    }

    pub fn exit_code(&self) -> u8 {
        if self.code.is_users_input() { 2 } else { 1 }
    }
}

/// How a command ended when it ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// A delete without `--confirm`: shown, not done (exit 2, as documented).
    PendingDelete,
    /// `whoami` with no key anywhere (exit 1, as the official CLI).
    NotLoggedIn,
    /// `check`: some declared integration is not connected where it should
    /// be (exit 2, a validation outcome like an unconfirmed delete).
    NotReady,
    /// `apply`: a set failed, the others were done (exit 1, as an API error).
    RequestFailed,
    /// `rerun deployment` answered with a deployment that is not `deployed`.
    DeploymentFailed,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::PendingDelete => 2,
            Outcome::NotLoggedIn => 1,
            Outcome::NotReady => 2,
            Outcome::RequestFailed => 1,
            Outcome::DeploymentFailed => 1,
        }
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// Every exit status there is, with when: for the man page and `--help`.
pub const EXIT_STATUS: &[(u8, &str)] = &[
    (
        0,
        "Success; a --dry-run whose real command would be attempted; help, man and completion output.",
    ),
    (
        1,
        "An API or network error, a key the platform refused or that expired, an invalid public key; whoami when not logged in; apply when a set failed (the others were done); a rerun whose deployment failed; output that could not be written (a closed pipe is not an error).",
    ),
    (
        2,
        "A validation error: a usage error, a bad option, secret, file, project.json, config.json or config.ts, an unknown profile, an OAuth-only integration; a delete without --confirm (nothing deleted); check or apply leaving an integration not ready.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_code() {
        let cases = [
            (Code::Validation, 2),
            (Code::OAuthRequired, 2),
            (Code::from_platform("MISSING_REQUIRED_FIELDS"), 2),
            (Code::from_platform("INVALID_CUSTOM_SCHEMA"), 2),
            (Code::from_platform("OAUTH_REQUIRED"), 2),
            (Code::from_platform("UNAUTHORIZED"), 1),
            (Code::Network, 1),
            (Code::Http(502), 1),
            (Code::InvalidPublicKey, 1),
            (Code::Io, 1),
        ];
        for (code, exit) in cases {
            assert_eq!(
                CliError::new(code.clone(), "x").exit_code(),
                exit,
                "{code:?}"
            );
        }
        assert_eq!(Code::Http(502).as_str(), "HTTP_502");
        assert!(Code::from_platform("API_KEY_EXPIRED").is_about_the_key());
        assert!(!Code::Network.is_named() && Code::InvalidPublicKey.is_named());
        assert_eq!(Outcome::PendingDelete.exit_code(), 2);
    }

    #[test]
    fn every_exit_status_is_documented() {
        let documented: Vec<u8> = EXIT_STATUS.iter().map(|(code, _)| *code).collect();
        let errors = [Code::Validation, Code::Network, Code::OAuthRequired];
        let outcomes = [Outcome::Done, Outcome::PendingDelete, Outcome::NotLoggedIn];
        for code in errors
            .into_iter()
            .map(|c| CliError::new(c, "x").exit_code())
            .chain(outcomes.into_iter().map(Outcome::exit_code))
        {
            assert!(documented.contains(&code), "{code}");
        }
    }
}
