//! Both envelopes of protocol §4, sealed by the tests' own code and opened by
//! the emulator over HTTP.

mod support;

use support::*;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Our hand-written seal reproduces RFC 9180 Appendix A.2.1 (sequence 0), so
/// the envelopes below are made by a checked, independent implementation.
#[test]
fn test_hpke_seal_matches_rfc9180_a21_vector() {
    let sk_e: [u8; 32] = unhex("f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600")
        .try_into()
        .unwrap();
    let pk_r: [u8; 32] = unhex("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a")
        .try_into()
        .unwrap();
    let (enc, ciphertext) = support::hpke::seal_with_ephemeral(
        sk_e,
        pk_r,
        b"Ode on a Grecian Urn",
        b"Count-0",
        b"Beauty is truth, truth beauty",
    );
    assert_eq!(
        enc,
        unhex("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a")
    );
    assert_eq!(
        ciphertext,
        unhex(
            "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28"
        )
    );
}

fn create(emulator: &Emulator, id: &str, sealed: &[(&str, String)]) -> Reply {
    emulator.post(
        "/createintegrationpublic",
        Some(OWNER),
        &format!(
            "{{\"integrationId\":\"{id}\",\"contextType\":\"organization\",\"secrets\":{}}}",
            secrets_json(sealed)
        ),
    )
}

#[test]
fn hpke_envelopes_decrypt_to_the_sent_values() {
    let emulator = Emulator::start();
    let pem = emulator.public_pem();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    let value = "sk-proj-\u{e9}t\u{e9} \"quoted\" \\ 🔑";
    let reply = create(
        &emulator,
        "openai",
        &[(
            "OPENAI_API_KEY",
            envelopes::hpke(&pem, "OPENAI_API_KEY", value),
        )],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    let stored = &emulator.stored("openai")[0];
    assert_eq!(str_at(field(stored, "secrets"), "OPENAI_API_KEY"), value);
    assert_eq!(
        str_at(stored, "algorithm"),
        "HPKE-X25519-SHA256-CHACHA20POLY1305"
    );
}

#[test]
fn rsa_envelopes_decrypt_to_the_sent_values() {
    let emulator = Emulator::start_rsa();
    let pem = emulator.public_pem();
    let sealed = [
        ("TWILIO_ACCOUNT_SID", envelopes::rsa(&pem, "AC123")),
        ("TWILIO_AUTH_TOKEN", envelopes::rsa(&pem, "")),
    ];
    let reply = create(&emulator, "twilio", &sealed);
    assert_eq!(reply.status, 201, "{}", reply.text);
    let stored = &emulator.stored("twilio")[0];
    let secrets = field(stored, "secrets");
    assert_eq!(str_at(secrets, "TWILIO_ACCOUNT_SID"), "AC123");
    // An empty value counts as present and round-trips as empty.
    assert_eq!(str_at(secrets, "TWILIO_AUTH_TOKEN"), "");
    assert_eq!(str_at(stored, "algorithm"), "RSA-OAEP-256+A256GCM");
}

#[test]
fn an_envelope_moved_to_another_field_does_not_open() {
    let emulator = Emulator::start();
    let pem = emulator.public_pem();
    // Sealed with aad "OTHER_KEY", sent as OPENAI_API_KEY.
    let reply = create(
        &emulator,
        "openai",
        &[("OPENAI_API_KEY", envelopes::hpke(&pem, "OTHER_KEY", "sk-x"))],
    );
    assert_error(&reply, 400, "DECRYPTION_FAILED");
    assert!(!reply.text.contains("sk-x"));
    assert!(emulator.stored("openai").is_empty());
}

#[test]
fn an_envelope_for_another_key_is_stale_or_fails() {
    let emulator = Emulator::start();
    let other = Emulator::start();
    let other_pem = other.public_pem();
    // Sealed to another platform key: its kid is not the current one.
    let reply = create(
        &emulator,
        "openai",
        &[(
            "OPENAI_API_KEY",
            envelopes::hpke(&other_pem, "OPENAI_API_KEY", "v"),
        )],
    );
    assert_error(&reply, 400, "STALE_PUBLIC_KEY");
    // Right kid, wrong key: does not decrypt.
    let pem = emulator.public_pem();
    let forged = envelopes::hpke_with_kid(&other_pem, &envelopes::kid(&pem), "OPENAI_API_KEY", "v");
    assert_error(
        &create(&emulator, "openai", &[("OPENAI_API_KEY", forged)]),
        400,
        "DECRYPTION_FAILED",
    );
}

#[test]
fn an_envelope_of_the_wrong_algorithm_or_shape_fails() {
    let hpke_emulator = Emulator::start();
    let rsa_emulator = Emulator::start_rsa();
    let rsa_sealed = envelopes::rsa(&rsa_emulator.public_pem(), "v");
    assert_error(
        &create(&hpke_emulator, "openai", &[("OPENAI_API_KEY", rsa_sealed)]),
        400,
        "DECRYPTION_FAILED",
    );
    // An HPKE envelope names a key id that is not the RSA platform's: the
    // client holds a stale key and should fetch it again.
    let hpke_sealed = envelopes::hpke(&hpke_emulator.public_pem(), "OPENAI_API_KEY", "v");
    assert_error(
        &create(&rsa_emulator, "openai", &[("OPENAI_API_KEY", hpke_sealed)]),
        400,
        "STALE_PUBLIC_KEY",
    );
    for garbage in [
        "not json",
        "{}",
        "{\"encryptedKey\":\"AA==\",\"encryptedData\":\"AA==\",\"iv\":\"AA==\"}",
    ] {
        let reply = create(
            &rsa_emulator,
            "openai",
            &[("OPENAI_API_KEY", garbage.to_string())],
        );
        assert_error(&reply, 400, "DECRYPTION_FAILED");
    }
}

#[test]
fn the_kid_is_derived_from_the_served_public_key() {
    let key = fixture("x25519-private.pem");
    let emulator = Emulator::with_args(&["--private-key", key.to_str().unwrap()]);
    let pem = emulator.public_pem();
    let expected = std::process::Command::new("openssl")
        .args(["pkey", "-in", key.to_str().unwrap(), "-pubout"])
        .output();
    // When openssl is installed, it derives the same public key from the file.
    if let Ok(output) = expected
        && output.status.success()
    {
        assert_eq!(String::from_utf8(output.stdout).unwrap(), pem);
    }
    let kid = envelopes::kid(&pem);
    assert_eq!(kid.len(), 16);
    let reply = create(
        &emulator,
        "openai",
        &[(
            "OPENAI_API_KEY",
            envelopes::hpke_with_kid(&pem, &kid, "OPENAI_API_KEY", "v"),
        )],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
}

/// An envelope sealed by Node's crypto (`publicEncrypt` with OAEP SHA-256 and
/// `aes-256-gcm`), as the live platform's clients do, to the fixture key:
/// an independent path for the RSA envelope, needing no Node at test time.
#[test]
fn rsa_envelope_sealed_by_node_crypto_decrypts() {
    let emulator = Emulator::start_rsa();
    let known = parse(&std::fs::read_to_string(fixture("rsa-envelope-node.json")).unwrap());
    let sealed = str_at(&known, "encryptedData").to_string();
    let reply = create(&emulator, "openai", &[("OPENAI_API_KEY", sealed.clone())]);
    assert_eq!(reply.status, 201, "{}", reply.text);
    let stored = &emulator.stored("openai")[0];
    assert_eq!(
        str_at(field(stored, "secrets"), "OPENAI_API_KEY"),
        str_at(&known, "plaintext")
    );

    // The same envelope with one bit of its tag flipped does not open.
    let envelope = parse(&sealed);
    let data = str_at(&envelope, "encryptedData");
    let mut bytes =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    let tampered = sealed.replace(
        data,
        &base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes),
    );
    assert_error(
        &create(&emulator, "openai", &[("OPENAI_API_KEY", tampered)]),
        400,
        "DECRYPTION_FAILED",
    );
}
