//! HPKE (RFC 9180) base-mode seal for DHKEM(X25519, HKDF-SHA256),
//! HKDF-SHA256, ChaCha20-Poly1305, written from the RFC with the primitives
//! alone: the tests' independent path to envelopes the emulator must open
//! (it opens with the `hpke` crate). Checked against Appendix A.2.1.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use hkdf::Hkdf;
use sha2::Sha256;

const KEM_ID: u16 = 0x0020;
const KDF_ID: u16 = 0x0001;
const AEAD_ID: u16 = 0x0003;

fn kem_suite() -> Vec<u8> {
    [b"KEM".as_slice(), &KEM_ID.to_be_bytes()].concat()
}

fn hpke_suite() -> Vec<u8> {
    [
        b"HPKE".as_slice(),
        &KEM_ID.to_be_bytes(),
        &KDF_ID.to_be_bytes(),
        &AEAD_ID.to_be_bytes(),
    ]
    .concat()
}

fn labeled_extract(salt: &[u8], suite: &[u8], label: &[u8], ikm: &[u8]) -> Vec<u8> {
    let labeled_ikm = [b"HPKE-v1".as_slice(), suite, label, ikm].concat();
    let (prk, _) = Hkdf::<Sha256>::extract(Some(salt), &labeled_ikm);
    prk.to_vec()
}

fn labeled_expand(prk: &[u8], suite: &[u8], label: &[u8], info: &[u8], len: u16) -> Vec<u8> {
    let labeled_info = [
        &len.to_be_bytes(),
        b"HPKE-v1".as_slice(),
        suite,
        label,
        info,
    ]
    .concat();
    let mut out = vec![0u8; len as usize];
    Hkdf::<Sha256>::from_prk(prk)
        .unwrap()
        .expand(&labeled_info, &mut out)
        .unwrap();
    out
}

/// Seals `plaintext` to `pk_r` with the ephemeral secret `sk_e`; returns
/// (enc, ciphertext with tag).
pub fn seal_with_ephemeral(
    sk_e: [u8; 32],
    pk_r: [u8; 32],
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> (Vec<u8>, Vec<u8>) {
    let sk_e = x25519_dalek::StaticSecret::from(sk_e);
    let pk_e = x25519_dalek::PublicKey::from(&sk_e);
    let dh = sk_e.diffie_hellman(&x25519_dalek::PublicKey::from(pk_r));
    let enc = pk_e.as_bytes().to_vec();

    // Encap: ExtractAndExpand(dh, enc || pkR).
    let kem = kem_suite();
    let kem_context = [enc.as_slice(), &pk_r].concat();
    let eae_prk = labeled_extract(b"", &kem, b"eae_prk", dh.as_bytes());
    let shared_secret = labeled_expand(&eae_prk, &kem, b"shared_secret", &kem_context, 32);

    // KeySchedule, mode_base (0x00), empty psk and psk_id.
    let suite = hpke_suite();
    let psk_id_hash = labeled_extract(b"", &suite, b"psk_id_hash", b"");
    let info_hash = labeled_extract(b"", &suite, b"info_hash", info);
    let context = [&[0u8][..], &psk_id_hash, &info_hash].concat();
    let secret = labeled_extract(&shared_secret, &suite, b"secret", b"");
    let key = labeled_expand(&secret, &suite, b"key", &context, 32);
    let base_nonce = labeled_expand(&secret, &suite, b"base_nonce", &context, 12);

    // Sequence number 0: the nonce is the base nonce.
    let cipher = chacha20poly1305::ChaCha20Poly1305::new_from_slice(&key).unwrap();
    let nonce = chacha20poly1305::Nonce::try_from(base_nonce.as_slice()).unwrap();
    let ciphertext = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .unwrap();
    (enc, ciphertext)
}

/// Seals with a fresh ephemeral key.
pub fn seal(pk_r: [u8; 32], info: &[u8], aad: &[u8], plaintext: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut sk_e = [0u8; 32];
    getrandom::fill(&mut sk_e).unwrap();
    seal_with_ephemeral(sk_e, pk_r, info, aad, plaintext)
}
