/*!
The emulator's request parsing and routing: the properties are checked by `codika_emulator::fuzzing::request`, which
tests/fuzz_corpora.rs also replays over the committed corpus on stable.
*/
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| codika_emulator::fuzzing::request(data));
