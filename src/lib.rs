/*!
The codika CLI as a library: every module of the binary, so that the fuzz
targets (fuzz/) and benchmarks can call the parsers and decoders directly.
`src/main.rs` is the program: parse → resolve → act → render → exit.
*/

// CliError is large (message, details, the platform's body), but errors are
// rare and end the process: not worth boxing every Result for.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod commands;
pub mod config;
pub mod context;
pub mod crypto;
pub mod deployments;
pub mod dotenv;
pub mod env;
pub mod error;
pub mod files;
pub mod flags;
#[doc(hidden)]
pub mod fuzzing;
pub mod harden;
pub mod identity;
pub mod names;
pub mod output;
pub mod project;
pub mod prompt;
pub mod random;
pub mod readiness;
pub mod resolve;
pub mod retry;
pub mod sanitize;
pub mod secrets;
pub mod shell;
pub mod stdin;
pub mod streams;
pub mod trust;
pub mod tsconfig;
pub mod url;
pub mod version;

// Shared with the emulator (the codika-common crate).
pub use codika_common::{clock, custom_schema, jsontext, registry, value};
