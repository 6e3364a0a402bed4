/*!
Everything the CLI prints. Human output goes step by step to stdout, warnings
and errors to stderr, with colour only on a terminal and without `NO_COLOR`.
With `--json`, stdout carries exactly one JSON document, 2-space indented, in
every outcome. With `--quiet`, progress and decoration ([`Output::say`]) are
left out and only data ([`Output::data`]: a list, a schema) is printed;
`--json` wins. Every write goes through [`streams`]: a closed pipe
(`codika ... | head`) stops quietly, another failure is exit 1.
*/

use miniserde::json::Value;

use crate::error::{CliError, Code};
use crate::jsontext::{self, quote};
use crate::sanitize::capped_json;
pub use crate::sanitize::shown;
use crate::streams::{self, Stream};

pub struct Output {
    pub json: bool,
    /// `--quiet` without `--json`: no progress or decoration.
    pub quiet: bool,
    color_out: bool,
    color_err: bool,
}

#[derive(Clone, Copy)]
pub enum Style {
    Plain,
    Green,
    Yellow,
    Red,
    Bold,
}

impl Output {
    pub fn new(json: bool, quiet: bool) -> Output {
        let plain = no_escapes();
        Output {
            json,
            quiet: quiet && !json,
            color_out: !plain && Stream::Stdout.is_terminal(),
            color_err: !plain && Stream::Stderr.is_terminal(),
        }
    }

    /// A line of progress or decoration (nothing with `--json` or
    /// `--quiet`). Every line passes the sanitizer: it may hold a platform
    /// answer or a file's text.
    pub fn say(&self, line: &str) {
        self.say_with(line, Style::Plain, "");
    }

    /// `plain`, then `styled` in `style` when stdout shows colour. Our own
    /// line breaks stay; a value from elsewhere is passed through [`shown`]
    /// where it is formatted in, which escapes its line breaks too.
    pub fn say_with(&self, plain: &str, style: Style, styled: &str) {
        if !self.quiet {
            self.data_with(plain, style, styled);
        }
    }

    /// A line in `style`.
    pub fn say_styled(&self, style: Style, line: &str) {
        self.say_with("", style, line);
    }

    /// A line of what the command was asked to show (a list, a schema, a
    /// plan): printed with `--quiet` too, not with `--json`.
    pub fn data(&self, line: &str) {
        self.data_with(line, Style::Plain, "");
    }

    /// As [`Output::say_with`], for data.
    pub fn data_with(&self, plain: &str, style: Style, styled: &str) {
        if !self.json {
            let styled = paint(self.color_out, style, &shown_lines(styled));
            streams::out(&format!("{}{styled}\n", shown_lines(plain)));
        }
    }

    /// A line of pieces, each in its style: a table row whose middle
    /// column is coloured. Every piece passes the sanitizer.
    pub fn data_spans(&self, spans: &[(Style, &str)]) {
        if !self.json {
            let line: String = spans
                .iter()
                .map(|(style, text)| paint(self.color_out, *style, &shown_lines(text)))
                .collect();
            streams::out(&format!("{line}\n"));
        }
    }

    /// A warning on stderr, in every mode: it never mixes with `--json` output.
    pub fn warn(&self, line: &str) {
        let text = paint(
            self.color_err,
            Style::Yellow,
            &shown_lines(&format!("⚠ {line}")),
        );
        streams::err_line(&text);
    }

    /// `{"success": true, "data": DATA}`, the document of a command done.
    pub fn json_success(&self, data: JsonObject) {
        self.json_text(
            &JsonObject::new()
                .bool("success", true)
                .raw("data", data.build())
                .build(),
        );
    }

    /// The JSON document of this run: `text`, re-indented.
    pub fn json_text(&self, text: &str) {
        let text = crate::sanitize::without_keys(text);
        streams::out(&format!("{}\n", jsontext::pretty(&text)));
    }

    /// Reports a failure: a JSON document on stdout with `--json`, else a
    /// line (and its details) on stderr.
    pub fn report(&self, error: &CliError) {
        if self.json {
            let text = error.body.clone().unwrap_or_else(|| error_document(error));
            self.json_text(&capped_json(&text));
            return;
        }
        let (code, message) = (shown(&error.code.as_str()), shown(&error.message));
        // The platform's own refusals, and our API errors, carry their code.
        let with_code = error.body.is_some() || error.code.is_named();
        let headline = if error.code == Code::OAuthRequired {
            // Not the user's mistake: a pointer to where it can be done.
            paint(self.color_err, Style::Yellow, &format!("⚠ {message}"))
        } else if with_code {
            format!(
                "{} {message} ({code})",
                paint(self.color_err, Style::Red, "error:")
            )
        } else {
            format!("{} {message}", paint(self.color_err, Style::Red, "error:"))
        };
        let mut text = format!("{headline}\n");
        for line in &error.details {
            text.push_str(&format!("  {}\n", shown(line)));
        }
        streams::err(&text);
    }
}

/// A JSON object built member by member, in the order given (miniserde's
/// objects sort their keys).
#[derive(Default)]
pub struct JsonObject {
    members: Vec<String>,
}

impl JsonObject {
    pub fn new() -> JsonObject {
        JsonObject::default()
    }

    /// A member whose value is already JSON text.
    pub fn raw(mut self, key: &str, json: impl Into<String>) -> JsonObject {
        self.members.push(format!("{}:{}", quote(key), json.into()));
        self
    }

    pub fn text(self, key: &str, value: &str) -> JsonObject {
        let value = quote(value);
        self.raw(key, value)
    }

    /// A string, or `null`.
    pub fn text_or_null(self, key: &str, value: Option<&str>) -> JsonObject {
        let value = value.map_or_else(|| "null".to_string(), quote);
        self.raw(key, value)
    }

    /// A string, or no member at all.
    pub fn text_if(self, key: &str, value: Option<&str>) -> JsonObject {
        match value {
            Some(value) => self.text(key, value),
            None => self,
        }
    }

    pub fn strings(self, key: &str, values: &[String]) -> JsonObject {
        self.raw(key, json_strings(values))
    }

    pub fn bool(self, key: &str, value: bool) -> JsonObject {
        self.raw(key, value.to_string())
    }

    pub fn build(self) -> String {
        format!("{{{}}}", self.members.join(","))
    }
}

/// No colour or other escape sequence: `NO_COLOR` set and not empty, or a
/// terminal that says it understands none (`TERM=dumb`: Emacs shells, some
/// CI logs).
fn no_escapes() -> bool {
    // A TERM that is not UTF-8 is refused by env::check before a command
    // acts; the errors printed before that check are plain too.
    let term = crate::env::text("TERM");
    crate::env::present("NO_COLOR")
        || term.is_err()
        || term.is_ok_and(|t| t.as_deref() == Some("dumb"))
}

/// [`shown`], line by line.
fn shown_lines(text: &str) -> String {
    text.split('\n').map(shown).collect::<Vec<_>>().join("\n")
}

fn paint(enabled: bool, style: Style, text: &str) -> String {
    if !enabled {
        return text.to_string();
    }
    let code = match style {
        Style::Green => "32",
        Style::Yellow => "33",
        Style::Red => "31",
        Style::Bold => "1",
        Style::Plain => return text.to_string(),
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// A JSON array of strings.
pub fn json_strings(values: &[String]) -> String {
    miniserde::json::to_string(&values.to_vec())
}

/// `{"success": false, "error": {"code": ..., "message": ..., extras}}`.
fn error_document(error: &CliError) -> String {
    let mut fields = vec![
        format!("\"code\":{}", quote(&error.code.as_str())),
        format!("\"message\":{}", quote(&error.message)),
    ];
    for (key, value) in &error.extra {
        fields.push(format!(
            "{}:{}",
            quote(key),
            miniserde::json::to_string::<Value>(value)
        ));
    }
    format!("{{\"success\":false,\"error\":{{{}}}}}", fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_documents_are_one_json_object() {
        let error = CliError::validation("no \"secrets\"")
            .with("dashboardUrl", Value::String("https://x".into()));
        let text = error_document(&error);
        let parsed: Value = miniserde::json::from_str(&text).unwrap();
        let Value::Object(root) = parsed else {
            panic!()
        };
        assert!(matches!(root.get("success"), Some(Value::Bool(false))));
        assert!(text.starts_with("{\"success\":false,\"error\":{\"code\":\"VALIDATION_ERROR\""));
        assert!(text.contains("\"dashboardUrl\":\"https://x\""));
    }
}
