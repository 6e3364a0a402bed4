/*!
Command-line arguments: the flag table (`defs`), the command table
(`commands`), the `lexopt` loop (`parse`) and the help text (`help`), both
generated from the tables. The result, [`LowArgs`], is what the user typed,
typed but not yet resolved against config files and the environment.
Commands are `codika integration set|list|delete|schema` and the profile
commands `codika login|whoami|use|logout`.
*/

mod command;
pub mod commands;
pub mod defs;
mod help;
mod low;
mod parse;

pub use command::Command;
pub use low::LowArgs;
pub use parse::{Parsed, parse};
