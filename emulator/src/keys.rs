/*!
The platform's encryption key pair, and opening the per-field envelopes of
protocol §4: RSA-OAEP-256 + AES-256-GCM (the live platform) or HPKE base mode
with X25519 / HKDF-SHA256 / ChaCha20-Poly1305.
*/

use aes_gcm::aead::{Aead, KeyInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, Serializable};
use miniserde::json::{Object, Value};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use sha2::{Digest, Sha256};

use crate::json::{as_object, as_str};

pub const HPKE_ALG: &str = "HPKE-X25519-SHA256-CHACHA20POLY1305";
pub const RSA_ALG: &str = "RSA-OAEP-256+A256GCM";
/// HPKE `info`: binds every envelope to this use.
pub const HPKE_INFO: &[u8] = b"codika-integration-secret/v1";

/// DER prefix of an X25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes.
const X25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
];
/// DER prefix of an X25519 PKCS#8 private key, as `openssl genpkey` writes it.
const X25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyType {
    X25519,
    Rsa,
}

type HpkeSecret = <X25519HkdfSha256 as Kem>::PrivateKey;

enum Secret {
    X25519(HpkeSecret),
    Rsa(Box<rsa::PrivateKey>),
}

pub struct PlatformKey {
    secret: Secret,
    public_pem: String,
    kid: String,
}

/// Why an envelope did not open. Never carries plaintext or key material.
#[derive(Debug, PartialEq, Eq)]
pub enum OpenError {
    /// An HPKE envelope sealed to a key that is not the current one.
    Stale,
    Failed(&'static str),
}

impl PlatformKey {
    pub fn generate(key_type: KeyType) -> Result<PlatformKey, String> {
        match key_type {
            KeyType::X25519 => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes).map_err(|e| format!("no random source: {e}"))?;
                Self::x25519_from_secret(&bytes)
            }
            KeyType::Rsa => {
                let key = rsa::PrivateKey::new(&mut getrandom::SysRng, 2048)
                    .map_err(|e| format!("cannot generate an RSA key: {e}"))?;
                Self::from_rsa(key)
            }
        }
    }

    /// Reads a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`, RSA or X25519)
    /// or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    pub fn from_pem(text: &str) -> Result<PlatformKey, String> {
        let (label, der) = pem_decode(text).ok_or("not a PEM file")?;
        match label.as_str() {
            "PRIVATE KEY" => {
                if der.len() == 48 && der.starts_with(&X25519_PKCS8_PREFIX) {
                    return Self::x25519_from_secret(&der[16..]);
                }
                let key = rsa::PrivateKey::from_pkcs8_der(&der)
                    .map_err(|e| format!("not an RSA or X25519 PKCS#8 private key ({e})"))?;
                Self::from_rsa(key)
            }
            "RSA PRIVATE KEY" => {
                let key = rsa::PrivateKey::from_pkcs1_pem(text)
                    .map_err(|e| format!("not a PKCS#1 RSA private key ({e})"))?;
                Self::from_rsa(key)
            }
            other => Err(format!("expected a PRIVATE KEY PEM block, found '{other}'")),
        }
    }

    fn x25519_from_secret(bytes: &[u8]) -> Result<PlatformKey, String> {
        let secret = HpkeSecret::from_bytes(bytes).map_err(|_| "invalid X25519 private key")?;
        let public = X25519HkdfSha256::sk_to_pk(&secret).to_bytes();
        let mut spki = X25519_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(&public);
        Ok(Self::with_spki(Secret::X25519(secret), &spki))
    }

    fn from_rsa(key: rsa::PrivateKey) -> Result<PlatformKey, String> {
        let spki = key
            .to_public_key()
            .to_public_key_der()
            .map_err(|e| format!("cannot encode the RSA public key: {e}"))?;
        Ok(Self::with_spki(Secret::Rsa(Box::new(key)), spki.as_bytes()))
    }

    fn with_spki(secret: Secret, spki: &[u8]) -> PlatformKey {
        PlatformKey {
            secret,
            public_pem: pem_encode("PUBLIC KEY", spki),
            kid: kid_of(spki),
        }
    }

    pub fn key_type(&self) -> KeyType {
        match self.secret {
            Secret::X25519(_) => KeyType::X25519,
            Secret::Rsa(_) => KeyType::Rsa,
        }
    }

    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm name recorded for each stored secret.
    pub fn algorithm(&self) -> &'static str {
        match self.secret {
            Secret::X25519(_) => HPKE_ALG,
            Secret::Rsa(_) => RSA_ALG,
        }
    }

    /// Opens the `value` of an `EncryptedField` (a JSON string holding
    /// `EncryptedData`) sealed for the field named `field_key`.
    pub fn open(&self, field_key: &str, value: &str) -> Result<String, OpenError> {
        let envelope: Value =
            miniserde::json::from_str(value).map_err(|_| OpenError::Failed("not JSON"))?;
        let envelope = as_object(&envelope).ok_or(OpenError::Failed("not a JSON object"))?;
        // Sealed to a key that is not ours (even of another algorithm): the
        // client should fetch the public key again.
        if let Some(kid) = envelope.get("kid").and_then(as_str)
            && kid != self.kid
        {
            return Err(OpenError::Stale);
        }
        let plaintext = match (&self.secret, envelope.contains_key("alg")) {
            (Secret::X25519(secret), true) => self.open_hpke(secret, field_key, envelope)?,
            (Secret::Rsa(secret), false) => open_rsa(secret, envelope)?,
            (Secret::X25519(_), false) => {
                return Err(OpenError::Failed(
                    "an RSA envelope, but the platform key is X25519",
                ));
            }
            (Secret::Rsa(_), true) => {
                return Err(OpenError::Failed(
                    "an HPKE envelope, but the platform key is RSA",
                ));
            }
        };
        String::from_utf8(plaintext).map_err(|_| OpenError::Failed("plaintext is not UTF-8"))
    }

    fn open_hpke(
        &self,
        secret: &HpkeSecret,
        field_key: &str,
        envelope: &Object,
    ) -> Result<Vec<u8>, OpenError> {
        expect_exact_keys(envelope, &["alg", "kid", "encryptedKey", "encryptedData"])?;
        if field(envelope, "alg")? != HPKE_ALG {
            return Err(OpenError::Failed("unsupported alg"));
        }
        if field(envelope, "kid")? != self.kid {
            return Err(OpenError::Stale);
        }
        let enc = base64_field(envelope, "encryptedKey")?;
        let ciphertext = base64_field(envelope, "encryptedData")?;
        hpke_open(secret, &enc, field_key.as_bytes(), &ciphertext)
    }
}

fn hpke_open(
    secret: &HpkeSecret,
    enc: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, OpenError> {
    let encapped = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(enc)
        .map_err(|_| OpenError::Failed("encryptedKey is not an X25519 public key"))?;
    hpke::single_shot_open::<hpke::aead::ChaCha20Poly1305, hpke::kdf::HkdfSha256, X25519HkdfSha256>(
        &hpke::OpModeR::Base,
        secret,
        &encapped,
        HPKE_INFO,
        ciphertext,
        aad,
    )
    .map_err(|_| OpenError::Failed("HPKE open failed"))
}

fn open_rsa(secret: &rsa::PrivateKey, envelope: &Object) -> Result<Vec<u8>, OpenError> {
    expect_exact_keys(envelope, &["encryptedKey", "encryptedData", "iv"])?;
    let wrapped_key = base64_field(envelope, "encryptedKey")?;
    let ciphertext = base64_field(envelope, "encryptedData")?;
    let iv = base64_field(envelope, "iv")?;
    let aes_key = secret
        .decrypt(rsa::Oaep::<Sha256>::new(), &wrapped_key)
        .map_err(|_| OpenError::Failed("RSA-OAEP decryption failed"))?;
    if aes_key.len() != 32 {
        return Err(OpenError::Failed("the wrapped AES key is not 32 bytes"));
    }
    if iv.len() != 12 {
        return Err(OpenError::Failed("iv is not 12 bytes"));
    }
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&aes_key)
        .map_err(|_| OpenError::Failed("bad AES key"))?;
    let nonce = aes_gcm::Nonce::try_from(iv.as_slice())
        .map_err(|_| OpenError::Failed("iv is not 12 bytes"))?;
    cipher
        .decrypt(&nonce, ciphertext.as_slice())
        .map_err(|_| OpenError::Failed("AES-GCM authentication failed"))
}

fn expect_exact_keys(envelope: &Object, keys: &[&str]) -> Result<(), OpenError> {
    if envelope.len() != keys.len() || keys.iter().any(|k| !envelope.contains_key(*k)) {
        return Err(OpenError::Failed("unexpected envelope keys"));
    }
    Ok(())
}

fn field<'a>(envelope: &'a Object, key: &'static str) -> Result<&'a str, OpenError> {
    envelope.get(key).and_then(as_str).ok_or(OpenError::Failed(
        "an envelope field is missing or not a string",
    ))
}

fn base64_field(envelope: &Object, key: &'static str) -> Result<Vec<u8>, OpenError> {
    BASE64
        .decode(field(envelope, key)?)
        .map_err(|_| OpenError::Failed("an envelope field is not standard base64"))
}

/// Lowercase hex of the first 8 bytes of SHA-256 over the SPKI DER.
fn kid_of(spki: &[u8]) -> String {
    Sha256::digest(spki)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = BASE64.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// The first PEM block of `text`: its label and decoded bytes.
fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + 11..];
    let (label, rest) = rest.split_once("-----")?;
    let end = rest.find(&format!("-----END {label}-----"))?;
    let body: String = rest[..end].split_whitespace().collect();
    Some((label.to_string(), BASE64.decode(body).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 9180 Appendix A.2.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
    /// ChaCha20Poly1305, base mode), sequence number 0. The vector's info is
    /// not ours, so this drives the same crate calls with its info.
    #[test]
    fn hpke_crate_opens_rfc9180_a21_vector() {
        let sk_r = unhex("8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb");
        let secret = HpkeSecret::from_bytes(&sk_r).unwrap();
        assert_eq!(
            X25519HkdfSha256::sk_to_pk(&secret).to_bytes().as_slice(),
            unhex("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a")
        );
        let enc = unhex("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a");
        let encapped = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&enc).unwrap();
        let plaintext = hpke::single_shot_open::<
            hpke::aead::ChaCha20Poly1305,
            hpke::kdf::HkdfSha256,
            X25519HkdfSha256,
        >(
            &hpke::OpModeR::Base,
            &secret,
            &encapped,
            b"Ode on a Grecian Urn",
            &unhex("1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28"),
            b"Count-0",
        )
        .unwrap();
        assert_eq!(plaintext, b"Beauty is truth, truth beauty");
    }

    #[test]
    fn x25519_pem_round_trips_and_kid_is_16_hex() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIDgYL5tvfJMsqunTuhwYsadyH/tqlbBApIacLQhrOs1l\n-----END PRIVATE KEY-----\n";
        let key = PlatformKey::from_pem(pem).unwrap();
        assert_eq!(key.key_type(), KeyType::X25519);
        assert_eq!(key.kid().len(), 16);
        assert!(
            key.public_pem()
                .starts_with("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEA")
        );
        let (_, spki) = pem_decode(key.public_pem()).unwrap();
        assert_eq!(kid_of(&spki), key.kid());
    }

    #[test]
    fn rejects_garbage_envelopes_without_panicking() {
        let key = PlatformKey::generate(KeyType::X25519).unwrap();
        for value in [
            "",
            "null",
            "[]",
            "{}",
            "{\"alg\":1}",
            "{\"encryptedKey\":\"x\"}",
        ] {
            assert!(
                matches!(key.open("K", value), Err(OpenError::Failed(_))),
                "{value}"
            );
        }
    }
}
