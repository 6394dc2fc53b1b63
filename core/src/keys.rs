//! API keys: their three kinds, the scopes a restricted key holds, and the
//! checksum in a key's last characters.
//!
//! A key is `{kind}_{mode}_{random}{checksum}`: `sk_`, `rk_` or `ek_`, then
//! `live_` or `test_`, then 32 random base-62 characters and 6 more that are
//! the CRC-32 of everything before them, in base 62 (the pattern of GitHub's
//! tokens). A secret scanner can match
//! `\b[sre]k_(live|test)_[0-9A-Za-z]{38}\b` and check the checksum offline;
//! the SDK checks it before any request, so a mistyped key fails at once.
//! Keys made before the checksum (`sk_live_` + 64 lowercase hex) stay valid.

use std::fmt;

/// The characters of the random part and the checksum, in the order their
/// values count.
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Random characters after the mode.
pub const RANDOM_LEN: usize = 32;
/// Checksum characters at the end.
pub const CHECKSUM_LEN: usize = 6;
const LEGACY_HEX_LEN: usize = 64;

const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// What a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// `sk_`: everything, for the tenant's own servers.
    Secret,
    /// `rk_`: only its scopes.
    Restricted,
    /// `ek_`: one customer, for a short while (an app's key).
    Ephemeral,
}

impl KeyKind {
    pub const ALL: [KeyKind; 3] = [KeyKind::Secret, KeyKind::Restricted, KeyKind::Ephemeral];

    /// `sk`, `rk`, `ek`.
    pub fn prefix(self) -> &'static str {
        match self {
            KeyKind::Secret => "sk",
            KeyKind::Restricted => "rk",
            KeyKind::Ephemeral => "ek",
        }
    }

    /// `secret`, `restricted`, `ephemeral`: the name the API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Secret => "secret",
            KeyKind::Restricted => "restricted",
            KeyKind::Ephemeral => "ephemeral",
        }
    }

    pub fn from_name(s: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a restricted key may be granted. A secret key holds them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    CustomersRead,
    CustomersWrite,
    CustomersDelete,
    CustomersBind,
    CustomersImport,
    BillingRead,
    BillingWrite,
    WebhooksManage,
    KeysManage,
}

impl Scope {
    pub const ALL: [Scope; 9] = [
        Scope::CustomersRead,
        Scope::CustomersWrite,
        Scope::CustomersDelete,
        Scope::CustomersBind,
        Scope::CustomersImport,
        Scope::BillingRead,
        Scope::BillingWrite,
        Scope::WebhooksManage,
        Scope::KeysManage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CustomersRead => "customers:read",
            Scope::CustomersWrite => "customers:write",
            Scope::CustomersDelete => "customers:delete",
            Scope::CustomersBind => "customers:bind",
            Scope::CustomersImport => "customers:import",
            Scope::BillingRead => "billing:read",
            Scope::BillingWrite => "billing:write",
            Scope::WebhooksManage => "webhooks:manage",
            Scope::KeysManage => "keys:manage",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The scopes as the API lists them, one message for an unknown one.
    pub fn parse_all<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<Scope>, String> {
        let mut out = Vec::new();
        for n in names {
            let s = Scope::parse(n).ok_or_else(|| {
                let known: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown scope {n:?}; the scopes are {}", known.join(", "))
            })?;
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out.sort();
        Ok(out)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a key's text says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    pub kind: KeyKind,
    pub live: bool,
    /// Whether it carries the checksum (a key made before it does not).
    pub checksummed: bool,
}

/// Why a key cannot be one of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// It has the shape of a current key, and its checksum does not match.
    Checksum,
    /// It is not a key of any kind this API makes.
    Shape,
}

/// The kind, mode and prefix of `key` when it starts like one of ours.
fn split(key: &str) -> Option<(KeyKind, bool, &str)> {
    let kind = KeyKind::ALL.into_iter().find(|k| key.starts_with(k.prefix()) && key[2..].starts_with('_'))?;
    let rest = &key[3..];
    let (live, body) = if let Some(b) = rest.strip_prefix("live_") {
        (true, b)
    } else {
        (false, rest.strip_prefix("test_")?)
    };
    Some((kind, live, body))
}

/// Checks a key the way the server does: one of ours, checksum right (or a
/// secret key of the older 64-hex form).
pub fn inspect(key: &str) -> Result<KeyInfo, KeyProblem> {
    let (kind, live, body) = split(key).ok_or(KeyProblem::Shape)?;
    if body.len() == RANDOM_LEN + CHECKSUM_LEN && body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let (head, sum) = key.split_at(key.len() - CHECKSUM_LEN);
        return if checksum(head) == sum { Ok(KeyInfo { kind, live, checksummed: true }) } else { Err(KeyProblem::Checksum) };
    }
    let legacy = kind == KeyKind::Secret
        && body.len() == LEGACY_HEX_LEN
        && body.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if legacy { Ok(KeyInfo { kind, live, checksummed: false }) } else { Err(KeyProblem::Shape) }
}

/// What the SDK can tell of a key before sending it: its kind when it
/// starts like one of ours, and an error only when its checksum proves it
/// mistyped. Any other token is sent as it is (a gateway's, a test's), for
/// the server to judge.
pub fn kind_of(key: &str) -> Result<Option<KeyKind>, KeyProblem> {
    match inspect(key) {
        Ok(info) => Ok(Some(info.kind)),
        Err(KeyProblem::Checksum) => Err(KeyProblem::Checksum),
        Err(KeyProblem::Shape) => Ok(split(key).map(|(kind, _, _)| kind)),
    }
}

/// A key of `kind` from its random part: prefix, `random`, checksum.
pub fn compose(kind: KeyKind, live: bool, random: &str) -> String {
    let mut key = format!("{}_{}_{random}", kind.prefix(), if live { "live" } else { "test" });
    let sum = checksum(&key);
    key.push_str(&sum);
    key
}

/// The CRC-32 of `head` as 6 base-62 digits, most significant first.
pub fn checksum(head: &str) -> String {
    let mut n = CRC32.checksum(head.as_bytes());
    let mut out = [b'0'; CHECKSUM_LEN];
    for d in out.iter_mut().rev() {
        *d = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out.iter().map(|&b| b as char).collect()
}

/// A random part for [`compose`], from the caller's random bytes (one per
/// character; the bias of `% 62` over 256 values costs under 0.1 bit each).
pub fn random_part(bytes: &[u8; RANDOM_LEN]) -> String {
    bytes.iter().map(|&b| BASE62[usize::from(b) % 62] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_composed_key_checks_and_one_changed_character_does_not() {
        for kind in KeyKind::ALL {
            let key = compose(kind, true, &random_part(&[7; RANDOM_LEN]));
            assert_eq!(inspect(&key), Ok(KeyInfo { kind, live: true, checksummed: true }));
            for i in 8..key.len() {
                let mut b = key.clone().into_bytes();
                b[i] = if b[i] == b'a' { b'b' } else { b'a' };
                let typo = String::from_utf8(b).unwrap_or_default();
                assert_eq!(inspect(&typo), Err(KeyProblem::Checksum), "{typo}");
            }
        }
    }

    #[test]
    fn legacy_hex_secret_keys_stay_valid_and_others_are_not_keys() {
        let hex = "a".repeat(64);
        assert_eq!(inspect(&format!("sk_test_{hex}")).map(|i| i.checksummed), Ok(false));
        assert_eq!(inspect(&format!("rk_test_{hex}")), Err(KeyProblem::Shape));
        assert_eq!(inspect("sk_test_x"), Err(KeyProblem::Shape));
        assert_eq!(kind_of("sk_test_x"), Ok(Some(KeyKind::Secret)));
        assert_eq!(kind_of("token-from-a-gateway"), Ok(None));
    }

    #[test]
    fn the_checksum_is_the_crc32_in_base62() {
        // zlib.crc32(b"sk_test_") in Python is 0xd50e8c87.
        assert_eq!(CRC32.checksum(b"sk_test_"), 0xd50e_8c87);
        assert_eq!(checksum("sk_test_"), "3tuErf");
    }
}
