//! `--state FILE`: every acknowledged change survives a restart or a
//! `kill -9`, the file is never torn, and concurrent writers lose nothing.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

struct TempDir(tempfile::TempDir);

impl TempDir {
    fn new(name: &str) -> TempDir {
        TempDir(scratch(name))
    }

    fn file(&self, name: &str) -> String {
        self.0.path().join(name).to_str().unwrap().to_string()
    }
}

/// Creates organization integration `id` with one HPKE-sealed secret `field`.
fn set(emulator: &Emulator, pem: &str, id: &str, field: &str, value: &str) -> Reply {
    let sealed = envelopes::hpke(pem, field, value);
    let body = format!(
        "{{\"integrationId\":\"{id}\",\"contextType\":\"organization\",\"secrets\":{}}}",
        secrets_json(&[(field, sealed)])
    );
    emulator.post("/createintegrationpublic", Some(OWNER), &body)
}

fn stored_ids(emulator: &Emulator) -> Vec<String> {
    let dump = emulator.dump();
    items(field(&dump, "integrations"))
        .iter()
        .map(|i| str_at(i, "integrationId").to_string())
        .collect()
}

#[test]
fn state_survives_a_restart() {
    let dir = TempDir::new("restart");
    let state = dir.file("state.json");
    let key = fixture("x25519-private.pem");
    let args = [
        "--state",
        state.as_str(),
        "--private-key",
        key.to_str().unwrap(),
    ];
    let mut emulator = Emulator::with_args(&args);
    let pem = emulator.public_pem();
    assert_eq!(
        set(&emulator, &pem, "acme_tool", "TOKEN", "sk-kept").status,
        201
    );
    let delete =
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"confirmDeletion\":true}";
    assert_eq!(
        set(&emulator, &pem, "openai", "OPENAI_API_KEY", "s").status,
        201
    );
    let deleted = emulator.post("/deleteintegrationpublic", Some(OWNER), delete);
    assert_eq!(u64_at(data(&deleted), "deactivatedCount"), 2);
    emulator.kill_hard();

    let restarted = Emulator::with_args(&args);
    let stored = restarted.stored("acme_tool");
    assert_eq!(stored.len(), 1);
    assert_eq!(str_at(field(&stored[0], "secrets"), "TOKEN"), "sk-kept");
    assert!(restarted.stored("openai").is_empty());
    let dump = restarted.dump();
    let active: Vec<bool> = items(field(&dump, "processInstances"))
        .iter()
        .map(|p| bool_at(p, "active"))
        .collect();
    assert_eq!(
        active,
        [false, false, false, true],
        "deactivations persist too"
    );
    // Credential ids stay unique across the restart.
    let reply = set(&restarted, &pem, "other_tool", "TOKEN", "m");
    assert_ne!(
        str_at(data(&reply), "n8nCredentialId"),
        str_at(&stored[0], "n8nCredentialId")
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the state file holds secrets");
    }
}

#[test]
fn kill_9_at_any_moment_loses_no_acknowledged_change() {
    let dir = TempDir::new("kill9");
    let state = dir.file("state.json");
    let args = ["--state", state.as_str()];
    for round in 0..4u64 {
        let emulator = Arc::new(Mutex::new(Emulator::with_args(&args)));
        let pem = emulator.lock().unwrap().public_pem();
        let base = emulator.lock().unwrap().base.clone();
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let id = format!("round{round}_n{n}");
                    let body = format!(
                        "{{\"integrationId\":\"{id}\",\"contextType\":\"organization\",\"secrets\":{}}}",
                        secrets_json(&[("TOKEN", envelopes::hpke(&pem, "TOKEN", &id))])
                    );
                    match agent
                        .post(&format!("{base}/createintegrationpublic"))
                        .header("X-Process-Manager-Key", OWNER)
                        .send(&body)
                    {
                        Ok(response) if response.status().as_u16() == 201 => {
                            acknowledged.lock().unwrap().push(id)
                        }
                        _ => break, // killed mid-request: not acknowledged
                    }
                }
            })
        };
        std::thread::sleep(Duration::from_millis(150 + 70 * round));
        emulator.lock().unwrap().kill_hard();
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();

        // The file parses (never torn) and holds everything acknowledged.
        let text = std::fs::read_to_string(&state).unwrap();
        assert!(
            miniserde::json::from_str::<miniserde::json::Value>(&text).is_ok(),
            "torn state file"
        );
        let restarted = Emulator::with_args(&args);
        let ids = stored_ids(&restarted);
        let acknowledged = acknowledged.lock().unwrap();
        assert!(
            !acknowledged.is_empty(),
            "round {round} wrote nothing before the kill"
        );
        for id in acknowledged.iter() {
            assert!(ids.contains(id), "acknowledged {id} lost in round {round}");
        }
        let secrets: Vec<String> = restarted
            .stored(&acknowledged[0])
            .iter()
            .map(|i| str_at(field(i, "secrets"), "TOKEN").to_string())
            .collect();
        assert_eq!(secrets, [acknowledged[0].clone()]);
    }
}

#[test]
fn concurrent_writers_lose_no_update() {
    let dir = TempDir::new("concurrent");
    let state = dir.file("state.json");
    let args = ["--state", state.as_str()];
    let mut emulator = Emulator::with_args(&args);
    let pem = emulator.public_pem();
    let base = emulator.base.clone();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (pem, base) = (pem.clone(), base.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                for n in 0..50 {
                    let id = format!("writer{t}_item{n}");
                    let body = format!(
                        "{{\"integrationId\":\"{id}\",\"contextType\":\"organization\",\"secrets\":{}}}",
                        secrets_json(&[("TOKEN", envelopes::hpke(&pem, "TOKEN", &id))])
                    );
                    let response = agent.post(&format!("{base}/createintegrationpublic")).header("X-Process-Manager-Key", OWNER).send(&body).unwrap();
                    assert_eq!(response.status().as_u16(), 201, "{id}");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let check = |emulator: &Emulator| {
        let dump = emulator.dump();
        let stored = items(field(&dump, "integrations"));
        assert_eq!(stored.len(), 400);
        for item in stored {
            assert_eq!(
                str_at(field(item, "secrets"), "TOKEN"),
                str_at(item, "integrationId")
            );
        }
        let mut credentials: Vec<&str> = stored
            .iter()
            .map(|i| str_at(i, "n8nCredentialId"))
            .collect();
        credentials.sort();
        credentials.dedup();
        assert_eq!(credentials.len(), 400, "credential ids are unique");
    };
    check(&emulator);
    emulator.kill_hard();
    check(&Emulator::with_args(&args));
}

#[test]
fn an_unreadable_state_file_stops_start_up_with_its_name() {
    let dir = TempDir::new("corrupt");
    let state = dir.file("state.json");
    std::fs::write(&state, "{\"apiKeys\": [").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_codika-emulator"))
        .args(["--listen", "127.0.0.1:0", "--state", &state])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&state) && stderr.lines().count() == 1,
        "{stderr}"
    );
    // The broken file is left for the operator, not overwritten.
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "{\"apiKeys\": [");
}

#[test]
fn a_custom_seed_replaces_the_default_and_reset_returns_to_it() {
    let dir = TempDir::new("seed");
    let seed = dir.file("seed.json");
    std::fs::write(
        &seed,
        r#"{"apiKeys":[{"key":"cko_custom","organizationId":"org_x","memberId":"mem_x","keyName":"custom",
            "scopes":["integrations:manage"],"createdAt":"2026-01-01T00:00:00.000Z"}],
           "organizations":[{"id":"org_x","name":"X Inc"}],
           "processInstances":[{"processInstanceId":"pi_x","organizationId":"org_x","title":"X","active":true,"integrationUids":["openai"]}],
           "integrations":[],"nextCredentialNumber":1}"#,
    )
    .unwrap();
    let emulator = Emulator::with_args(&["--seed", &seed]);
    assert_eq!(emulator.printed_keys(1), ["cko_custom"]);
    assert_error(
        &emulator.post("/verifyapikey", Some(OWNER), ""),
        401,
        "UNAUTHORIZED",
    );
    assert_eq!(
        str_at(
            data(&emulator.post("/verifyapikey", Some("cko_custom"), "")),
            "organizationName"
        ),
        "X Inc"
    );
    let pending = emulator.post(
        "/deleteintegrationpublic",
        Some("cko_custom"),
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\"}",
    );
    assert_eq!(
        u64_at(
            field(field(&pending.body, "data"), "pendingDeactivations"),
            "count"
        ),
        1
    );
    emulator.post("/_emulator/reset", None, "");
    assert_eq!(items(field(&emulator.dump(), "processInstances")).len(), 1);
}

#[cfg(unix)]
#[test]
fn temp_files_are_exclusive_0600_and_stale_ones_are_removed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("tempfiles");
    let state = dir.file("state.json");
    let mode = |path: &str| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    // A writer that died mid-write left plaintext behind; a live one did not.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let stale = dir.file(&format!(".state.json.{}.tmp", gone.id()));
    let live = dir.file(&format!(".state.json.{}.tmp", std::process::id()));
    std::fs::write(&stale, "plaintext of a dead writer").unwrap();
    std::fs::write(&live, "a live writer's").unwrap();

    let emulator = Emulator::with_args(&["--state", state.as_str()]);
    assert!(!std::path::Path::new(&stale).exists(), "stale temp kept");
    assert!(
        std::path::Path::new(&live).exists(),
        "a live writer's temp removed"
    );
    // Someone plants the temp name this emulator used to write through.
    let planted = dir.file(&format!(".state.json.{}.tmp", emulator.pid()));
    std::fs::write(&planted, "planted").unwrap();
    std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();

    let pem = emulator.public_pem();
    assert_eq!(set(&emulator, &pem, "acme_tool", "TOKEN", "sk").status, 201);
    assert_eq!(std::fs::read_to_string(&planted).unwrap(), "planted");
    assert_eq!(mode(&state), 0o600, "state file mode");
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(text.contains("acme_tool"), "{text}");
}
