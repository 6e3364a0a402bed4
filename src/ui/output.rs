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
pub use crate::ui::json::{Json, JsonObject};
pub use crate::ui::sanitize::shown;
use crate::ui::sanitize::{capped_json, json_escaped};
use crate::ui::streams::{self, Stream};
use codika_common::jsontext;

pub struct Output {
    json: bool,
    /// `--quiet` without `--json`: no progress or decoration.
    quiet: bool,
    color_out: bool,
    color_err: bool,
}

/// What a command reports: its lines for a human, what of them `--quiet`
/// keeps, and its `--json` document. [`Output::render`] alone picks one.
pub trait Render {
    /// Data with [`Output::data`], decoration with [`Output::say`].
    fn human(&self, out: &Output);
    /// With `--quiet`: the human lines, of which [`Output::say`] leaves
    /// the decoration out. A report that must say something else then (a
    /// warning in place of a page that explains) says it here.
    fn quiet(&self, out: &Output) {
        self.human(out);
    }
    fn json(&self) -> Json;
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

    /// A command's report: its `--json` document, its `--quiet` lines, or
    /// its lines for a human. The one place that tells them apart.
    pub fn render(&self, report: &dyn Render) {
        if self.json {
            self.json_text(&report.json().to_text());
        } else if self.quiet {
            report.quiet(self);
        } else {
            report.human(self);
        }
    }

    /// Whether decoration ([`Output::say`]) reaches the user: neither
    /// `--json` nor `--quiet`. For a command that would read something
    /// only to show it.
    pub fn shows_decoration(&self) -> bool {
        !self.json && !self.quiet
    }

    /// A line on stderr as it is (sanitized, no mark, no colour), in every mode.
    pub fn note(&self, line: &str) {
        streams::err_line(&shown_lines(line));
    }

    /// The JSON document of this run: `text`, re-indented, with what a
    /// terminal would act on escaped (the platform's text included).
    fn json_text(&self, text: &str) {
        let text = json_escaped(&jsontext::pretty(&super::sanitize::without_keys(text)));
        streams::out(&format!("{text}\n"));
    }

    /// Reports a failure: a JSON document on stdout with `--json`, else a
    /// line (and its details) on stderr.
    pub fn report(&self, error: &CliError) {
        if self.json {
            let text = error
                .body
                .clone()
                .unwrap_or_else(|| error_document(error).to_text());
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

/// No colour or other escape sequence: `NO_COLOR` set and not empty, or a
/// terminal that says it understands none (`TERM=dumb`: Emacs shells, some
/// CI logs).
fn no_escapes() -> bool {
    // Both are read as bytes, as ripgrep and the NO_COLOR convention do: no
    // value of either is invalid, so neither can refuse a run.
    crate::env::present("NO_COLOR") || crate::env::equals("TERM", "dumb")
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

/// `{"success": false, "error": {"code": ..., "message": ..., extras}}`.
fn error_document(error: &CliError) -> Json {
    let mut fields = JsonObject::new()
        .text("code", &error.code.as_str())
        .text("message", &error.message);
    for (key, value) in &error.extra {
        fields = fields.value(
            key,
            Json::Received(miniserde::json::to_string::<Value>(value)),
        );
    }
    JsonObject::new()
        .bool("success", false)
        .value("error", fields.build())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_documents_are_one_json_object() {
        let error = CliError::validation("no \"secrets\"")
            .with("dashboardUrl", Value::String("https://x".into()));
        let text = error_document(&error).to_text();
        let parsed: Value = miniserde::json::from_str(&text).unwrap();
        let Value::Object(root) = parsed else {
            panic!()
        };
        assert!(matches!(root.get("success"), Some(Value::Bool(false))));
        assert!(text.starts_with("{\"success\":false,\"error\":{\"code\":\"VALIDATION_ERROR\""));
        assert!(text.contains("\"dashboardUrl\":\"https://x\""));
    }
}
