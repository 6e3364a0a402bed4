/*!
Command-line arguments: the flag table (`defs`), the command table
(`commands`), the `lexopt` loop (`parse`), and what is generated from the
tables: the help text (`help`), the man page (`man`) and the completion
scripts (`complete`). The result, [`LowArgs`], is what the user typed,
typed but not yet resolved against config files and the environment.
Commands are `codika integration set|list|delete|schema`, the profile
commands `codika login|whoami|use|logout`, and `codika
completion|man|help`.
*/

mod command;
pub mod commands;
pub mod complete;
pub mod defs;
mod help;
mod low;
mod man;
pub mod order;
mod parse;

pub use command::Command;
pub use low::LowArgs;
pub use parse::{Parsed, parse};
