/*!
Which certificate authorities an HTTPS connection trusts: the Mozilla roots
built into the binary, plus the PEM certificates an operator names for a
private CA or a TLS-inspecting proxy: `SSL_CERT_FILE` (a bundle), every file
of each directory of `SSL_CERT_DIR` (colon-separated, as OpenSSL reads it),
and `--ca-bundle FILE`, else `CODIKA_CA_BUNDLE`. They are added to the
built-in roots, never put in their place, so a scratch container without
`/etc/ssl` works whatever is set. Nothing is read unless one of them is set
and the connection is HTTPS. There is no way to turn verification off.
*/

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

use crate::env;
use crate::error::{CliError, Result};
use crate::files;

/// A system bundle (Debian's ca-certificates.crt) is about 220 KiB.
const MAX_BUNDLE: u64 = 8 << 20;
/// One certificate, or a few, per file of a certificate directory.
const MAX_DIR_ENTRY: u64 = 1 << 20;

/// The places extra CA certificates come from, as named (nothing read yet).
pub struct Sources {
    /// `--ca-bundle`, else `CODIKA_CA_BUNDLE`, with the name of the one used.
    bundle: Option<(PathBuf, &'static str)>,
    cert_file: Option<PathBuf>,
    cert_dirs: Vec<PathBuf>,
}

impl Sources {
    /// What the option and the environment name; reads no file.
    pub fn new(flag: Option<&Path>) -> Result<Sources> {
        let bundle = match flag.filter(|p| !p.as_os_str().is_empty()) {
            Some(path) => Some((path.to_path_buf(), "--ca-bundle")),
            None => env::path("CODIKA_CA_BUNDLE").map(|p| (p, "CODIKA_CA_BUNDLE")),
        };
        let cert_dirs = env::path("SSL_CERT_DIR")
            .map(|dirs| {
                std::env::split_paths(&dirs)
                    .filter(|d| !d.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Sources {
            bundle,
            cert_file: env::path("SSL_CERT_FILE"),
            cert_dirs,
        })
    }

    /// Nothing set: the built-in roots alone ([`builtin`], no file read).
    pub fn is_empty(&self) -> bool {
        self.bundle.is_none() && self.cert_file.is_none() && self.cert_dirs.is_empty()
    }

    /// The built-in roots plus every certificate of the sources. A bundle
    /// that cannot be read, holds no certificate or has a block that does
    /// not parse is exit 2 naming it; a directory entry that is not a
    /// certificate is skipped, as OpenSSL skips it.
    pub fn tls_config(&self) -> Result<TlsConfig> {
        let mut extra = Vec::new();
        if let Some(path) = &self.cert_file {
            extra.extend(bundle(path, "SSL_CERT_FILE")?);
        }
        for dir in &self.cert_dirs {
            extra.extend(directory(dir));
        }
        if let Some((path, origin)) = &self.bundle {
            extra.extend(bundle(path, origin)?);
        }
        Ok(with_builtin(extra))
    }
}

/// The built-in roots alone: what every agent trusts when no CA is added
/// (ureq has no roots of its own in this build: Cargo.toml).
pub fn builtin() -> TlsConfig {
    with_builtin(Vec::new())
}

/// ureq takes one list: the built-in roots as whole certificates (the same
/// Mozilla set as its default would be) and the extra ones after them, with
/// ring as the crypto provider (ureq picks none without its "rustls" feature).
fn with_builtin(extra: Vec<CertificateDer<'static>>) -> TlsConfig {
    let roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()))
        .chain(
            extra
                .iter()
                .map(|der| Certificate::from_der(der.as_ref()).to_owned()),
        )
        .collect();
    TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build()
}

/// Every certificate of a bundle the user named, or why it is unusable.
fn bundle(path: &Path, origin: &str) -> Result<Vec<CertificateDer<'static>>> {
    let unusable = |why: String| {
        CliError::validation(format!(
            "cannot use the CA bundle {} (from {origin}): {why}",
            path.display()
        ))
    };
    let bytes = files::read_bytes(path, MAX_BUNDLE).map_err(|e| unusable(e.to_string()))?;
    let certificates = certificates(&bytes).map_err(unusable)?;
    if certificates.is_empty() {
        return Err(unusable(
            "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certificates)
}

/// The certificates of each file in `dir` that holds only good ones: hashed
/// `*.0` links and plain names alike (a certificate reached by both is
/// trusted once over, which is harmless). A directory that cannot be read
/// adds nothing, as for OpenSSL.
fn directory(dir: &Path) -> Vec<CertificateDer<'static>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| files::read_bytes(path, MAX_DIR_ENTRY).ok())
        .filter_map(|bytes| certificates(&bytes).ok())
        .flatten()
        .collect()
}

/// The `CERTIFICATE` blocks of a PEM text (other blocks and text between
/// them skipped), each checked to be a certificate a root can be made of.
fn certificates(pem: &[u8]) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let mut found = Vec::new();
    for (n, item) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let der = item.map_err(|e| format!("its PEM does not parse ({e})"))?;
        // What ureq's root store would otherwise drop without a word.
        rustls::RootCertStore::empty()
            .add(der.clone())
            .map_err(|e| format!("certificate {} of the file does not parse ({e})", n + 1))?;
        found.push(der);
    }
    Ok(found)
}

/// The peer's certificate refused (unknown issuer, wrong name, expired...):
/// the reason, as rustls gives it. `None` for any other failure.
pub fn certificate_error(error: &ureq::Error) -> Option<String> {
    let tls = match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        _ => None,
    }?;
    matches!(
        tls,
        rustls::Error::InvalidCertificate(_) | rustls::Error::InvalidCertRevocationList(_)
    )
    .then(|| tls.to_string())
}

/// Any TLS-level refusal (a certificate, an alert, no common protocol):
/// the same on the next attempt, so never retried.
pub fn is_tls_error(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Rustls(_) | ureq::Error::Tls(_) => true,
        ureq::Error::Io(e) => e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()),
        _ => false,
    }
}

/// The peer's certificate is for another name: a wrong host in the URL or
/// a server answering for someone else, which no CA added would mend.
pub fn is_wrong_name(error: &ureq::Error) -> bool {
    let tls = match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        _ => None,
    };
    use rustls::CertificateError::{NotValidForName, NotValidForNameContext};
    matches!(
        tls,
        Some(rustls::Error::InvalidCertificate(
            NotValidForName | NotValidForNameContext { .. }
        ))
    )
}

/// What to tell the user whose connection to `host`, written in `written`
/// (`the URL`, or a proxy variable), met a certificate for other names.
pub fn wrong_name(host: &str, problem: &str, written: &str) -> String {
    format!(
        "the TLS certificate that {host} presented is not valid for the name {host} ({problem}); check the host name in {written}"
    )
}

/// What to tell the user whose connection to `host` failed on `problem`.
pub fn hint(host: &str, problem: &str) -> String {
    format!(
        "the TLS certificate of {host} is not trusted ({problem}); if a private CA or a TLS-inspecting proxy issued it, add that CA's PEM certificate with --ca-bundle FILE, CODIKA_CA_BUNDLE=FILE or SSL_CERT_FILE=FILE"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// webpki-root-certs and ureq's webpki-roots must hold the same roots,
    /// so the built-in set does not change when a CA is added.
    #[test]
    fn the_builtin_certificates_are_ureqs_builtin_anchors() {
        let mut store = rustls::RootCertStore::empty();
        let (added, ignored) =
            store.add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec());
        assert_eq!(ignored, 0);
        assert_eq!(added, webpki_roots::TLS_SERVER_ROOTS.len());
        let key = |a: &rustls::pki_types::TrustAnchor<'_>| {
            (
                a.subject.as_ref().to_vec(),
                a.subject_public_key_info.as_ref().to_vec(),
            )
        };
        let mut ours: Vec<_> = store.roots.iter().map(key).collect();
        let mut theirs: Vec<_> = webpki_roots::TLS_SERVER_ROOTS.iter().map(key).collect();
        ours.sort();
        theirs.sort();
        assert!(ours == theirs, "webpki-root-certs and webpki-roots differ");
    }

    #[test]
    fn pem_blocks_are_taken_checked_and_others_skipped() {
        let root = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref();
        let pem = |der: &[u8]| {
            use base64::Engine;
            let body = base64::engine::general_purpose::STANDARD.encode(der);
            let lines: Vec<&str> = body
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect();
            format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                lines.join("\n")
            )
        };
        let bundle = format!(
            "# Issuer: a comment, as in system bundles\n{}\r\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n{}",
            pem(root),
            pem(root)
        );
        assert_eq!(certificates(bundle.as_bytes()).unwrap().len(), 2);
        assert!(certificates(b"no PEM here").unwrap().is_empty());
        let garbage = certificates(pem(b"not a certificate").as_bytes()).unwrap_err();
        assert!(
            garbage.contains("certificate 1 of the file does not parse"),
            "{garbage}"
        );
        let broken = certificates(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n")
            .unwrap_err();
        assert!(broken.contains("PEM does not parse"), "{broken}");
        let cut = certificates(b"-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap_err();
        assert!(cut.contains("PEM does not parse"), "{cut}");
    }
}
