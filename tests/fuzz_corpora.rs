/*!
Replays the committed fuzz corpora (fuzz/corpus/TARGET, minimized with
`cargo fuzz cmin`, crash inputs kept there as regression cases) through the
same property functions the fuzz targets call (`codika::fuzzing`,
`codika_emulator::fuzzing`), on stable: CI checks every input the fuzzer
found interesting without a nightly toolchain. A target's corpus that is
missing or empty fails the test rather than passing quietly.
*/

use std::path::Path;

/// A property with no setup of its own.
fn infallible(
    property: fn(&[u8]),
) -> impl Fn(&[u8]) -> Result<(), String> + std::panic::RefUnwindSafe {
    move |data| {
        property(data);
        Ok(())
    }
}

/// `property` fails by panicking; `Err` is a setup failure of its own.
fn replay(
    target: &str,
    property: impl Fn(&[u8]) -> Result<(), String> + std::panic::RefUnwindSafe,
) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "{}: {} inputs",
        dir.display(),
        files.len()
    );
    for file in &files {
        let data = std::fs::read(file).expect("a corpus file");
        // A failing property names the input that broke it.
        match std::panic::catch_unwind(|| property(&data)) {
            Ok(Ok(())) => {}
            Ok(Err(setup)) => panic!("{}: setup failed: {setup}", file.display()),
            Err(_) => panic!("{}: property failed", file.display()),
        }
    }
    println!("{target}: {} inputs replayed", files.len());
}

#[test]
fn dotenv_corpus() {
    replay("dotenv", infallible(codika::fuzzing::dotenv));
}

#[test]
fn tsconfig_corpus() {
    replay("tsconfig", codika::fuzzing::tsconfig);
}

#[test]
fn url_mask_corpus() {
    replay("url_mask", infallible(codika::fuzzing::url));
}

#[test]
fn config_json_corpus() {
    replay("config_json", infallible(codika::fuzzing::config_json));
}

#[test]
fn emulator_request_corpus() {
    replay("emulator_request", codika_emulator::fuzzing::request);
}

#[test]
fn answers_corpus() {
    replay("answers", infallible(codika::fuzzing::answers));
}
