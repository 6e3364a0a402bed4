/*!
The config.ts reader (lexer, scanner, evaluator and `declared`): the
properties are checked by `codika::fuzzing::tsconfig`, which
tests/fuzz_corpora.rs also replays over the committed corpus on stable.
*/
#![no_main]

// A setup failure (no scratch directory, no random source) stops the run
// saying so: it is not an input's fault.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(setup) = codika::fuzzing::tsconfig(data) {
        panic!("fuzz setup failed: {setup}");
    }
});
