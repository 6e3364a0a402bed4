//! `EncryptedData` for both key types of protocol §4, made as a client does.

use aes_gcm::aead::{Aead, KeyInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256};

pub const INFO: &[u8] = b"codika-integration-secret/v1";

/// The DER inside a PEM block.
pub fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    BASE64.decode(body).unwrap()
}

/// Lowercase hex of the first 8 bytes of SHA-256 over the SPKI DER.
pub fn kid(public_pem: &str) -> String {
    Sha256::digest(pem_der(public_pem))[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The raw X25519 key of an SPKI PEM (the last 32 bytes of its DER).
pub fn x25519_public(public_pem: &str) -> [u8; 32] {
    let der = pem_der(public_pem);
    assert_eq!(der.len(), 44, "not an X25519 SPKI");
    der[12..].try_into().unwrap()
}

pub fn hpke_with_kid(public_pem: &str, kid: &str, field: &str, plaintext: &str) -> String {
    let (enc, ciphertext) = super::hpke::seal(
        x25519_public(public_pem),
        INFO,
        field.as_bytes(),
        plaintext.as_bytes(),
    );
    format!(
        "{{\"alg\":\"HPKE-X25519-SHA256-CHACHA20POLY1305\",\"kid\":\"{kid}\",\"encryptedKey\":\"{}\",\"encryptedData\":\"{}\"}}",
        BASE64.encode(enc),
        BASE64.encode(ciphertext)
    )
}

/// An HPKE `EncryptedData` for `field`, sealed to the emulator's public key.
pub fn hpke(public_pem: &str, field: &str, plaintext: &str) -> String {
    hpke_with_kid(public_pem, &kid(public_pem), field, plaintext)
}

/// An RSA-OAEP-256 + AES-256-GCM `EncryptedData`.
pub fn rsa(public_pem: &str, plaintext: &str) -> String {
    let public = rsa::PublicKey::from_public_key_pem(public_pem).unwrap();
    let mut aes_key = [0u8; 32];
    let mut iv = [0u8; 12];
    getrandom::fill(&mut aes_key).unwrap();
    getrandom::fill(&mut iv).unwrap();
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&aes_key).unwrap();
    let nonce = aes_gcm::Nonce::try_from(iv.as_slice()).unwrap();
    let encrypted_data = cipher.encrypt(&nonce, plaintext.as_bytes()).unwrap();
    let encrypted_key = public
        .encrypt(&mut getrandom::SysRng, rsa::Oaep::<Sha256>::new(), &aes_key)
        .unwrap();
    format!(
        "{{\"encryptedKey\":\"{}\",\"encryptedData\":\"{}\",\"iv\":\"{}\"}}",
        BASE64.encode(encrypted_key),
        BASE64.encode(encrypted_data),
        BASE64.encode(iv)
    )
}
