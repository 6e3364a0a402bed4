/*!
The codika CLI as a library: every module of the binary, so that the fuzz
targets (fuzz/) and benchmarks can call the parsers and decoders directly.
`src/main.rs` is the program: parse → resolve → act → render → exit.
*/

// CliError is large (message, details, the platform's body), but errors are
// rare and end the process: not worth boxing every Result for.
#![allow(clippy::result_large_err)]

pub mod commands;
pub mod config;
pub mod context;
pub mod env;
pub mod error;
pub mod files;
pub mod flags;
#[doc(hidden)]
// The fuzz targets' properties: built for fuzz/ and the corpus replay
// (`--features fuzzing`), never into the shipped binary.
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod harden;
pub mod json_input;
pub mod platform;
pub mod project;
pub mod resolve;
pub mod secrets;
pub mod tsconfig;
pub mod ui;
pub mod version;
