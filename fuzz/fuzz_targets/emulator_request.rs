/*!
The emulator's request parsing and routing: the properties are checked by `codika_emulator::fuzzing::request`, which
tests/fuzz_corpora.rs also replays over the committed corpus on stable.
*/
#![no_main]

// A setup failure (no scratch directory, no random source) stops the run
// saying so: it is not an input's fault.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(setup) = codika_emulator::fuzzing::request(data) {
        panic!("fuzz setup failed: {setup}");
    }
});
