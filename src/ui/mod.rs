/*!
What reaches a human: output (stdout, stderr, `--json`), the sanitizer for
text we did not write, shell quoting, and the no-echo terminal prompt.
*/

pub mod json;
pub mod output;
pub mod prompt;
pub mod sanitize;
pub mod shell;
pub mod streams;
