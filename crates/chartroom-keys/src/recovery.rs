//! [`RecoveryCode`]: the 25-character code printed on the practice's
//! recovery sheet, which alone can unwrap the database key.
//!
//! The code is 25 characters of Crockford base32 (125 random bits), shown as
//! five groups of five (`ABCDE-FGHJK-MNPQR-STVWX-YZ012`). Typing is forgiving:
//! case, spaces and dashes are ignored, and `O` is read as `0`, `I` and `L`
//! as `1`, as Crockford's alphabet prescribes.

use std::fmt;

use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

use crate::KeyError;

/// Crockford's base32 alphabet (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Number of code characters.
pub const RECOVERY_CODE_CHARS: usize = 25;
const GROUP: usize = 5;

/// A recovery code. Wiped from memory when dropped; prints redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(Zeroizing<String>);

impl RecoveryCode {
    /// A fresh random code from the operating system's CSPRNG.
    pub fn generate() -> RecoveryCode {
        let mut random = Zeroizing::new([0u8; RECOVERY_CODE_CHARS]);
        OsRng.fill_bytes(random.as_mut());
        // 256 is a multiple of 32, so `b & 31` is uniform.
        let mut canonical = Zeroizing::new(Vec::with_capacity(RECOVERY_CODE_CHARS));
        canonical.extend(random.iter().map(|b| ALPHABET[usize::from(b & 31)]));
        RecoveryCode::from_canonical(&canonical)
    }

    /// Read a code typed by a person. Case-insensitive; spaces and dashes are
    /// ignored; `O` counts as `0`, `I` and `L` as `1`.
    pub fn parse(s: &str) -> Result<RecoveryCode, KeyError> {
        let mut canonical = Zeroizing::new(Vec::with_capacity(RECOVERY_CODE_CHARS));
        for c in s.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let mapped = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            let valid = mapped.is_ascii() && ALPHABET.contains(&(mapped as u8));
            if !valid {
                let reason = if c.eq_ignore_ascii_case(&'u') {
                    "the letter U never appears in a recovery code".to_string()
                } else if c.is_ascii_graphic() {
                    format!("the character '{c}' never appears in a recovery code")
                } else {
                    "it contains a character that never appears in a recovery code".to_string()
                };
                return Err(KeyError::MalformedRecoveryCode { reason });
            }
            canonical.push(mapped as u8);
        }
        if canonical.len() != RECOVERY_CODE_CHARS {
            return Err(KeyError::MalformedRecoveryCode {
                reason: format!(
                    "it has {} letters and digits, but a recovery code has {RECOVERY_CODE_CHARS}",
                    canonical.len()
                ),
            });
        }
        Ok(RecoveryCode::from_canonical(&canonical))
    }

    /// The grouped form to show or print: `ABCDE-FGHJK-MNPQR-STVWX-YZ012`.
    pub fn display(&self) -> &str {
        &self.0
    }

    /// The 25 characters without dashes: the input to the key derivation.
    pub(crate) fn canonical(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(RECOVERY_CODE_CHARS));
        out.extend(self.0.bytes().filter(|b| *b != b'-'));
        out
    }

    fn from_canonical(canonical: &[u8]) -> RecoveryCode {
        let groups = RECOVERY_CODE_CHARS / GROUP;
        let mut s = Zeroizing::new(String::with_capacity(RECOVERY_CODE_CHARS + groups - 1));
        for (i, b) in canonical.iter().enumerate() {
            if i > 0 && i % GROUP == 0 {
                s.push('-');
            }
            s.push(char::from(*b));
        }
        RecoveryCode(s)
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(err: KeyError) -> String {
        match err {
            KeyError::MalformedRecoveryCode { reason } => reason,
            other => panic!("expected MalformedRecoveryCode, got {other:?}"),
        }
    }

    #[test]
    fn generated_code_has_five_groups_of_five_crockford_chars() {
        let code = RecoveryCode::generate();
        let groups: Vec<&str> = code.display().split('-').collect();
        assert_eq!(groups.len(), 5);
        for g in groups {
            assert_eq!(g.len(), 5);
            assert!(g.bytes().all(|b| ALPHABET.contains(&b)), "{g}");
        }
        assert_ne!(code.display(), RecoveryCode::generate().display());
    }

    #[test]
    fn generated_code_parses_back_to_itself() {
        let code = RecoveryCode::generate();
        assert_eq!(RecoveryCode::parse(code.display()).unwrap(), code);
    }

    #[test]
    fn parse_ignores_case_spaces_and_dashes() {
        let want = "ABCDE-FGHJK-MNPQR-STVWX-YZ012";
        for typed in [
            want,
            "abcde-fghjk-mnpqr-stvwx-yz012",
            "ABCDEFGHJKMNPQRSTVWXYZ012",
            " abcde fghjk  mnpqr-stvwx yz012 ",
            "ab-cd-ef-gh-jk-mn-pq-rs-tv-wx-yz-01-2",
        ] {
            assert_eq!(
                RecoveryCode::parse(typed).unwrap().display(),
                want,
                "{typed}"
            );
        }
    }

    #[test]
    fn parse_maps_o_to_zero_and_i_l_to_one() {
        let code = RecoveryCode::parse("OOOOO-IIIII-LLLLL-ooooo-il0l1").unwrap();
        assert_eq!(code.display(), "00000-11111-11111-00000-11011");
    }

    #[test]
    fn parse_rejects_wrong_length() {
        let short = reason(RecoveryCode::parse("ABCDE-FGHJK-MNPQR-STVWX-YZ01").unwrap_err());
        assert!(short.contains("24"), "{short}");
        let long = reason(RecoveryCode::parse("ABCDE-FGHJK-MNPQR-STVWX-YZ0123").unwrap_err());
        assert!(long.contains("26"), "{long}");
        assert!(RecoveryCode::parse("").is_err());
    }

    #[test]
    fn parse_rejects_characters_outside_the_alphabet() {
        let u = reason(RecoveryCode::parse("UBCDE-FGHJK-MNPQR-STVWX-YZ012").unwrap_err());
        assert!(u.contains('U'), "{u}");
        let star = reason(RecoveryCode::parse("*BCDE-FGHJK-MNPQR-STVWX-YZ012").unwrap_err());
        assert!(star.contains('*'), "{star}");
        assert!(RecoveryCode::parse("ÄBCDE-FGHJK-MNPQR-STVWX-YZ012").is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let code = RecoveryCode::parse("ABCDE-FGHJK-MNPQR-STVWX-YZ012").unwrap();
        assert_eq!(format!("{code:?}"), "RecoveryCode(<redacted>)");
        assert_eq!(&*code.canonical(), b"ABCDEFGHJKMNPQRSTVWXYZ012");
    }
}
