/*!
One error type for the whole CLI. It carries what the user must read (a
one-line message saying what was wrong and how to fix it), a machine code for
`--json`, and so the exit code: 2 for validation, 1 for API and network
failures. Only `main` prints it and exits.
*/

use miniserde::json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The user's input is wrong or incomplete: exit 2.
    Validation,
    /// The platform answered with an error, or could not be reached: exit 1.
    Api,
}

#[derive(Debug)]
pub struct CliError {
    pub kind: Kind,
    /// `VALIDATION_ERROR`, `OAUTH_REQUIRED`, `NETWORK_ERROR`, or the platform's code.
    pub code: String,
    pub message: String,
    /// More lines for a human (indented under the message), e.g. a dashboard URL.
    pub details: Vec<String>,
    /// Extra fields of the `--json` error object, e.g. `dashboardUrl`.
    pub extra: Vec<(&'static str, Value)>,
    /// The platform's own error body, printed as is with `--json`.
    pub body: Option<String>,
}

impl CliError {
    pub fn validation(message: impl Into<String>) -> CliError {
        CliError::new(Kind::Validation, "VALIDATION_ERROR", message)
    }

    pub fn api(code: impl Into<String>, message: impl Into<String>) -> CliError {
        CliError::new(Kind::Api, code, message)
    }

    pub fn network(message: impl Into<String>) -> CliError {
        CliError::new(Kind::Api, "NETWORK_ERROR", message)
    }

    pub fn new(kind: Kind, code: impl Into<String>, message: impl Into<String>) -> CliError {
        CliError {
            kind,
            code: code.into(),
            message: message.into(),
            details: Vec::new(),
            extra: Vec::new(),
            body: None,
        }
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
        match self.kind {
            Kind::Validation => 2,
            Kind::Api => 1,
        }
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;
