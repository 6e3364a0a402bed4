/*!
Randomness for the envelopes, drawn so that a missing random source is an
error and never a panic. hpke's own `getrandom` path unwraps, and a binary in a
jail without `/dev` (or a static build falling back to `/dev/urandom`) would
abort there; so every random byte is drawn here, fallibly, before any sealing.
*/

use rand_core::{Infallible, TryCryptoRng, TryRng};
use zeroize::Zeroizing;

use crate::error::{CliError, Code, Result};

/// Fills `buf` from the operating system's random source.
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| {
        CliError::new(
            Code::NoRandomSource,
            format!(
                "cannot encrypt: the operating system gave no random bytes ({e}); \
                 the kernel's getrandom system call (Linux 3.17+) is needed"
            ),
        )
    })
}

/// A random generator for one seal: its bytes are drawn up front with
/// [`fill`]. X25519 encapsulation takes 32 bytes and RSA-OAEP-256 a 32-byte
/// seed; a seal that asks for more than was drawn is refused by [`Drawn::check`]
/// rather than served anything but fresh randomness.
pub struct Drawn {
    bytes: Zeroizing<[u8; Drawn::SIZE]>,
    used: usize,
    overrun: bool,
}

impl Drawn {
    const SIZE: usize = 64;

    pub fn new() -> Result<Drawn> {
        let mut bytes = Zeroizing::new([0u8; Drawn::SIZE]);
        fill(bytes.as_mut())?;
        Ok(Drawn {
            bytes,
            used: 0,
            overrun: false,
        })
    }

    /// After the seal: an error when it asked for more than was drawn (its
    /// output must then be thrown away).
    pub fn check(&self) -> Result<()> {
        if self.overrun {
            return Err(CliError::new(
                Code::EncryptionFailed,
                "internal error: the cipher asked for more random bytes than were drawn",
            ));
        }
        Ok(())
    }
}

impl TryRng for Drawn {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> core::result::Result<u32, Infallible> {
        let mut word = [0u8; 4];
        self.try_fill_bytes(&mut word)?;
        Ok(u32::from_le_bytes(word))
    }

    fn try_next_u64(&mut self) -> core::result::Result<u64, Infallible> {
        let mut word = [0u8; 8];
        self.try_fill_bytes(&mut word)?;
        Ok(u64::from_le_bytes(word))
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> core::result::Result<(), Infallible> {
        let end = self.used + dest.len();
        match self.bytes.get(self.used..end) {
            Some(fresh) => {
                dest.copy_from_slice(fresh);
                self.used = end;
            }
            None => {
                // Never reuse bytes; the result is discarded by `check`.
                dest.fill(0);
                self.overrun = true;
            }
        }
        Ok(())
    }
}

impl TryCryptoRng for Drawn {}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn serves_each_drawn_byte_once_then_reports_an_overrun() {
        let mut rng = Drawn::new().unwrap();
        let mut first = [0u8; 32];
        let mut second = [0u8; 32];
        rng.fill_bytes(&mut first);
        rng.fill_bytes(&mut second);
        assert_ne!(first, second);
        assert!(rng.check().is_ok());
        rng.next_u32();
        assert!(rng.check().is_err());
    }
}
