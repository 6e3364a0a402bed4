/*!
What reaches a human: output (the reports, human or `--json`), the JSON
values it writes, the streams every byte goes out through, the sanitizer
for text we did not write, shell quoting, the table writer, and the no-echo terminal prompt.
*/

pub mod json;
pub mod output;
pub mod prompt;
pub mod sanitize;
pub mod shell;
pub mod streams;
pub mod table;
