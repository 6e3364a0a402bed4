/*!
Client-side encryption (protocol §4). The platform's public key decides the
envelope: RSA → RSA-OAEP-256 + AES-256-GCM (the live platform), X25519 → HPKE
base mode with ChaCha20-Poly1305. One fresh key and nonce per field; key
material is wiped after use.
*/

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, Serializable};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{CliError, Code, Result};
use crate::platform::random::{self, Drawn};

pub const HPKE_INFO: &[u8] = b"codika-integration-secret/v1";
/// NIST SP 800-57's floor for RSA today.
const MIN_RSA_BITS: usize = 2048;
const HPKE_ALG: &str = "HPKE-X25519-SHA256-CHACHA20POLY1305";
/// DER of an X25519 SubjectPublicKeyInfo (RFC 8410) before the 32 key bytes.
const X25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
];

pub enum PublicKey {
    Rsa(Box<rsa::PublicKey>),
    X25519 {
        key: <X25519HkdfSha256 as Kem>::PublicKey,
        kid: String,
    },
}

impl PublicKey {
    /// Parses a PEM SubjectPublicKeyInfo; `source` (a URL or file) names it
    /// in errors, which exit 1 as the protocol says.
    pub fn from_pem(text: &str, source: &str) -> Result<PublicKey> {
        let bad = |why: &str| {
            CliError::new(
                Code::InvalidPublicKey,
                format!("the public key from {source} {why}"),
            )
        };
        // Two blocks would leave which key seals the secrets to our choice.
        if text.matches("-----BEGIN ").count() > 1 {
            return Err(bad(
                "holds more than one PEM block; it must hold the one public key",
            ));
        }
        let der = pem_body(text, "PUBLIC KEY").ok_or_else(|| bad("is not a PEM 'PUBLIC KEY'"))?;
        if der.len() == 44 && der.starts_with(&X25519_SPKI_PREFIX) {
            let key = <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&der[12..])
                .map_err(|_| bad("is not a valid X25519 key"))?;
            return Ok(PublicKey::X25519 {
                key,
                kid: kid_of(&der),
            });
        }
        let key = rsa::PublicKey::from_public_key_der(&der)
            .map_err(|_| bad("is neither an RSA nor an X25519 key"))?;
        // Anyone who can factor the key reads every secret sealed with it.
        let bits = key.n().bit_width() as usize;
        if bits < MIN_RSA_BITS {
            return Err(bad(&format!(
                "is an RSA key of {bits} bits; at least {MIN_RSA_BITS} are required, nothing was sent"
            )));
        }
        Ok(PublicKey::Rsa(Box::new(key)))
    }

    /// The envelope this key makes, for a dry run's plan.
    pub fn envelope(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "RSA-OAEP-256 + AES-256-GCM",
            PublicKey::X25519 { .. } => HPKE_ALG,
        }
    }

    /// The `EncryptedData` JSON text for field `key`.
    pub fn seal(&self, key: &str, plaintext: &[u8]) -> Result<String> {
        let failed = |what: &str| {
            CliError::new(
                Code::EncryptionFailed,
                format!("cannot encrypt {key}: {what}"),
            )
        };
        match self {
            PublicKey::X25519 { key: public, kid } => {
                let mut rng = Drawn::new()?;
                let (encapped, ciphertext) = hpke::single_shot_seal_with_rng::<
                    hpke::aead::ChaCha20Poly1305,
                    hpke::kdf::HkdfSha256,
                    X25519HkdfSha256,
                >(
                    &hpke::OpModeS::Base,
                    public,
                    HPKE_INFO,
                    plaintext,
                    key.as_bytes(),
                    &mut rng,
                )
                .map_err(|_| failed("HPKE seal failed"))?;
                rng.check()?;
                Ok(format!(
                    "{{\"alg\":\"{HPKE_ALG}\",\"kid\":\"{kid}\",\"encryptedKey\":\"{}\",\"encryptedData\":\"{}\"}}",
                    BASE64.encode(encapped.to_bytes()),
                    BASE64.encode(ciphertext)
                ))
            }
            PublicKey::Rsa(public) => {
                let mut aes_key = Zeroizing::new([0u8; 32]);
                let mut iv = [0u8; 12];
                random::fill(aes_key.as_mut())?;
                random::fill(&mut iv)?;
                let encrypted_data =
                    aes_256_gcm(&aes_key, iv, plaintext).ok_or_else(|| failed("AES-GCM failed"))?;
                let mut rng = Drawn::new()?;
                let encrypted_key = public
                    .encrypt(&mut rng, rsa::Oaep::<Sha256>::new(), aes_key.as_ref())
                    .map_err(|_| failed("RSA-OAEP failed"))?;
                rng.check()?;
                Ok(format!(
                    "{{\"encryptedKey\":\"{}\",\"encryptedData\":\"{}\",\"iv\":\"{}\"}}",
                    BASE64.encode(encrypted_key),
                    BASE64.encode(encrypted_data),
                    BASE64.encode(iv)
                ))
            }
        }
    }
}

/// AES-256-GCM of `plaintext` under `key` and `iv`, the 16-byte tag
/// appended (what the platform decrypts). ring's, which the TLS cipher
/// suites already link in. The buffer is sized for the tag up front, so no
/// copy of the plaintext is left behind by a reallocation; it is wiped if
/// sealing fails (before it is all ciphertext).
fn aes_256_gcm(key: &[u8; 32], iv: [u8; 12], plaintext: &[u8]) -> Option<Vec<u8>> {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).ok()?);
    let mut sealed = Vec::with_capacity(plaintext.len() + AES_256_GCM.tag_len());
    sealed.extend_from_slice(plaintext);
    let nonce = Nonce::assume_unique_for_key(iv);
    match key.seal_in_place_append_tag(nonce, Aad::empty(), &mut sealed) {
        Ok(()) => Some(sealed),
        Err(_) => {
            zeroize::Zeroize::zeroize(&mut sealed);
            None
        }
    }
}

/// The bytes of the first `label` PEM block.
fn pem_body(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    let body: String = text[start..stop].split_whitespace().collect();
    BASE64.decode(body).ok()
}

/// Lowercase hex of the first 8 bytes of SHA-256 over the SPKI DER.
fn kid_of(spki: &[u8]) -> String {
    Sha256::digest(spki)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const X25519_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEA4vS7ELP0OusZQcKkSdUJpQ45Ng/Xpbk6quEwUFNKTD0=\n-----END PUBLIC KEY-----\n";

    #[test]
    fn x25519_envelopes_have_exactly_the_protocol_keys() {
        let key = PublicKey::from_pem(X25519_PEM, "test").unwrap();
        let a = key.seal("OPENAI_API_KEY", b"sk").unwrap();
        let b = key.seal("OPENAI_API_KEY", b"sk").unwrap();
        assert_ne!(a, b, "a fresh encapsulation per field");
        let value: miniserde::json::Value = miniserde::json::from_str(&a).unwrap();
        let miniserde::json::Value::Object(object) = value else {
            panic!()
        };
        assert_eq!(
            object.keys().collect::<Vec<_>>(),
            ["alg", "encryptedData", "encryptedKey", "kid"]
        );
        assert!(a.starts_with("{\"alg\":\"HPKE-X25519-SHA256-CHACHA20POLY1305\",\"kid\":\""));
        if let PublicKey::X25519 { kid, .. } = key {
            assert_eq!(kid.len(), 16);
        }
    }

    /// Test cases 13 and 14 of the GCM specification (McGrew and Viega):
    /// AES-256, all-zero key and IV; the tag follows the ciphertext.
    #[test]
    fn aes_256_gcm_matches_the_specification_vectors() {
        let hex = |bytes: Vec<u8>| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(aes_256_gcm(&[0; 32], [0; 12], b"").unwrap()),
            "530f8afbc74536b9a963b4f1c4cb738b"
        );
        assert_eq!(
            hex(aes_256_gcm(&[0; 32], [0; 12], &[0; 16]).unwrap()),
            "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"
        );
    }

    #[test]
    fn bad_keys_name_their_source_and_exit_1() {
        for pem in [
            "",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            "<html>502</html>",
        ] {
            let err = PublicKey::from_pem(pem, "https://example.test/key.pem")
                .err()
                .unwrap();
            assert!(err.message.contains("https://example.test/key.pem"));
            assert_eq!(err.exit_code(), 1);
        }
    }
}
