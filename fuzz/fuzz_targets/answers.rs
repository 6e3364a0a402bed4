/*!
Platform answer decoding: the properties are checked by `codika::fuzzing::answers`, which
tests/fuzz_corpora.rs also replays over the committed corpus on stable.
*/
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| codika::fuzzing::answers(data));
