/*!
The config.ts reader (lexer, scanner, evaluator and `declared`): the
properties are checked by `codika::fuzzing::tsconfig`, which
tests/fuzz_corpora.rs also replays over the committed corpus on stable.
*/
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| codika::fuzzing::tsconfig(data));
