//! HTTP authentication for pushing: a bearer token, or a user and password answered with
//! whichever scheme the server asks for in its `WWW-Authenticate` challenge, Basic
//! (RFC 7617) or Digest (RFC 7616, MD5 and SHA-256, as Virtuoso's `/sparql-auth` wants).
//!
//! A password is never sent before the server has said how it wants it: the first request
//! goes without, a 401 names the scheme, and later requests answer it straight away
//! (Digest reuses the server's nonce with an increasing nonce count until the server
//! declares it stale).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use md5::{Digest as _, Md5};
use sha2::{Digest as _, Sha256};

/// Who the pusher is to the server.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    #[default]
    None,
    /// Sent as `Authorization: Bearer {token}` with every request.
    Bearer(String),
    /// Answered with Basic or Digest, as the server's challenge asks.
    Password { user: String, password: String },
}

impl std::fmt::Debug for Credentials {
    /// Never prints secrets (reports and logs show this).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::None => write!(f, "none"),
            Credentials::Bearer(_) => write!(f, "bearer token"),
            Credentials::Password { user, .. } => write!(f, "user {user:?}"),
        }
    }
}

/// One challenge of a `WWW-Authenticate` header: a scheme and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Lower-case scheme name (`digest`, `basic`, `bearer`).
    pub scheme: String,
    /// Parameters with lower-case names, values unquoted.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a `WWW-Authenticate` value, which may hold several challenges
/// (`Basic realm="a", Digest realm="b", nonce="n"`). Malformed parts are skipped.
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut out = Vec::new();
    let mut current: Option<Challenge> = None;
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            break;
        }
        let (word, after) = take_token(rest);
        if word.is_empty() {
            // A stray '=' or quote: skip one character so the loop always advances.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
            continue;
        }
        if let Some(value) = after.trim_start().strip_prefix('=') {
            let value = value.trim_start();
            let (value, remaining) = if value.starts_with('"') {
                take_quoted(value)
            } else {
                let (v, r) = take_token(value);
                (v.to_owned(), r)
            };
            if let Some(challenge) = current.as_mut() {
                challenge.params.push((word.to_ascii_lowercase(), value));
            }
            rest = remaining;
        } else {
            out.extend(current.take());
            current = Some(Challenge {
                scheme: word.to_ascii_lowercase(),
                params: Vec::new(),
            });
            rest = after;
        }
    }
    out.extend(current);
    out
}

fn take_token(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| c.is_whitespace() || c == ',' || c == '=' || c == '"')
        .unwrap_or(s.len());
    s.split_at(end)
}

/// `s` starts with a quote; returns the unescaped content and what follows the closing
/// quote (an unterminated string runs to the end).
fn take_quoted(s: &str) -> (String, &str) {
    let mut value = String::new();
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        if escaped {
            value.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return (value, &s[i + 1..]);
        } else {
            value.push(c);
        }
    }
    (value, "")
}

/// The hash function a Digest challenge names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl DigestAlgorithm {
    fn parse(name: Option<&str>) -> Option<Self> {
        match name.map(str::to_ascii_uppercase).as_deref() {
            None | Some("MD5") => Some(Self::Md5),
            Some("MD5-SESS") => Some(Self::Md5Sess),
            Some("SHA-256") => Some(Self::Sha256),
            Some("SHA-256-SESS") => Some(Self::Sha256Sess),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Md5Sess => "MD5-sess",
            Self::Sha256 => "SHA-256",
            Self::Sha256Sess => "SHA-256-sess",
        }
    }

    fn hash(self, data: &[u8]) -> String {
        match self {
            Self::Md5 | Self::Md5Sess => hex(&Md5::digest(data)[..]),
            Self::Sha256 | Self::Sha256Sess => hex(&Sha256::digest(data)[..]),
        }
    }

    fn is_session(self) -> bool {
        matches!(self, Self::Md5Sess | Self::Sha256Sess)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Quality of protection a Digest response claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qop {
    /// The request line is protected.
    Auth,
    /// The body is protected too (used only when the server offers nothing else).
    AuthInt,
}

impl Qop {
    fn name(self) -> &'static str {
        match self {
            Qop::Auth => "auth",
            Qop::AuthInt => "auth-int",
        }
    }
}

/// A Digest challenge this client can answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestChallenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    pub algorithm: DigestAlgorithm,
    /// `None` for servers of RFC 2069, which predates qop.
    pub qop: Option<Qop>,
    /// The server wants the user name hashed (RFC 7616 section 3.4.4).
    pub userhash: bool,
    /// The previous nonce expired; the password itself was right.
    pub stale: bool,
}

impl DigestChallenge {
    /// `None` when the challenge is not Digest, lacks realm or nonce, or names an algorithm
    /// or qop this client does not implement.
    pub fn from_challenge(challenge: &Challenge) -> Option<Self> {
        if challenge.scheme != "digest" {
            return None;
        }
        let qop = match challenge.param("qop") {
            None => None,
            Some(list) => {
                let offered: Vec<String> = list
                    .split(',')
                    .map(|q| q.trim().to_ascii_lowercase())
                    .collect();
                if offered.iter().any(|q| q == "auth") {
                    Some(Qop::Auth)
                } else if offered.iter().any(|q| q == "auth-int") {
                    Some(Qop::AuthInt)
                } else {
                    return None;
                }
            }
        };
        let flag = |name| {
            challenge
                .param(name)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        };
        Some(DigestChallenge {
            realm: challenge.param("realm")?.to_owned(),
            nonce: challenge.param("nonce")?.to_owned(),
            opaque: challenge.param("opaque").map(str::to_owned),
            algorithm: DigestAlgorithm::parse(challenge.param("algorithm"))?,
            qop,
            userhash: flag("userhash"),
            stale: flag("stale"),
        })
    }

    /// The `Authorization` value for one request: `uri` is the request target exactly as
    /// sent (path and query), `nc` counts the requests made with this nonce from 1.
    #[allow(clippy::too_many_arguments)]
    pub fn authorization(
        &self,
        user: &str,
        password: &str,
        method: &str,
        uri: &str,
        body: &[u8],
        nc: u32,
        cnonce: &str,
    ) -> String {
        let h = |s: &str| self.algorithm.hash(s.as_bytes());
        let mut ha1 = h(&format!("{user}:{}:{password}", self.realm));
        if self.algorithm.is_session() {
            ha1 = h(&format!("{ha1}:{}:{cnonce}", self.nonce));
        }
        let ha2 = match self.qop {
            Some(Qop::AuthInt) => h(&format!("{method}:{uri}:{}", self.algorithm.hash(body))),
            _ => h(&format!("{method}:{uri}")),
        };
        let nc = format!("{nc:08x}");
        let response = match self.qop {
            Some(qop) => h(&format!(
                "{ha1}:{}:{nc}:{cnonce}:{}:{ha2}",
                self.nonce,
                qop.name()
            )),
            None => h(&format!("{ha1}:{}:{ha2}", self.nonce)),
        };
        let username = if self.userhash {
            h(&format!("{user}:{}", self.realm))
        } else {
            user.to_owned()
        };
        let mut header = format!(
            "Digest username={}, realm={}, uri={}, algorithm={}, nonce={}",
            quote(&username),
            quote(&self.realm),
            quote(uri),
            self.algorithm.name(),
            quote(&self.nonce)
        );
        if let Some(qop) = self.qop {
            header.push_str(&format!(
                ", nc={nc}, cnonce={}, qop={}",
                quote(cnonce),
                qop.name()
            ));
        }
        header.push_str(&format!(", response={}", quote(&response)));
        if let Some(opaque) = &self.opaque {
            header.push_str(&format!(", opaque={}", quote(opaque)));
        }
        if self.userhash {
            header.push_str(", userhash=true");
        }
        header
    }
}

/// An HTTP quoted-string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `Basic base64(user:password)` (RFC 7617).
pub fn basic_authorization(user: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What the server has asked for so far.
enum Answer {
    Unknown,
    Basic,
    Digest { challenge: DigestChallenge, nc: u32 },
}

/// Produces `Authorization` headers for a run of requests, shared by the request threads.
pub(crate) struct Authenticator {
    credentials: Credentials,
    answer: Mutex<Answer>,
    cnonces: AtomicU64,
}

impl Authenticator {
    pub fn new(credentials: Credentials) -> Self {
        Authenticator {
            credentials,
            answer: Mutex::new(Answer::Unknown),
            cnonces: AtomicU64::new(0),
        }
    }

    pub fn has_password(&self) -> bool {
        matches!(self.credentials, Credentials::Password { .. })
    }

    /// A password is at hand but the server has not yet said how it wants it.
    pub fn needs_challenge(&self) -> bool {
        self.has_password()
            && matches!(
                *self.answer.lock().unwrap_or_else(|e| e.into_inner()),
                Answer::Unknown
            )
    }

    /// The header for the next request, when one is known to be wanted.
    pub fn authorization(&self, method: &str, uri: &str, body: &[u8]) -> Option<String> {
        let (user, password) = match &self.credentials {
            Credentials::None => return None,
            Credentials::Bearer(token) => return Some(format!("Bearer {token}")),
            Credentials::Password { user, password } => (user, password),
        };
        let mut answer = self.answer.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *answer {
            Answer::Unknown => None,
            Answer::Basic => Some(basic_authorization(user, password)),
            Answer::Digest { challenge, nc } => {
                *nc += 1;
                let cnonce = self.cnonce();
                Some(challenge.authorization(user, password, method, uri, body, *nc, &cnonce))
            }
        }
    }

    /// Takes in a 401's challenges; true when repeating the request may now succeed (the
    /// server named a scheme we answer, or a fresh nonce). Digest is preferred over Basic.
    pub fn learn(&self, challenges: &[Challenge]) -> bool {
        if !self.has_password() {
            return false;
        }
        let mut answer = self.answer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(digest) = challenges.iter().find_map(DigestChallenge::from_challenge) {
            let fresh = match &*answer {
                Answer::Digest { challenge, .. } => challenge.nonce != digest.nonce,
                _ => true,
            };
            *answer = Answer::Digest {
                challenge: digest,
                nc: 0,
            };
            return fresh;
        }
        if challenges.iter().any(|c| c.scheme == "basic") {
            let fresh = !matches!(*answer, Answer::Basic);
            *answer = Answer::Basic;
            return fresh;
        }
        false
    }

    fn cnonce(&self) -> String {
        let n = self.cnonces.fetch_add(1, Ordering::Relaxed);
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let seed = format!("{t}:{n}:{}", std::process::id());
        hex(&Sha256::digest(seed.as_bytes())[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of RFC 7616 section 3.9.1.
    fn rfc7616(algorithm: &str) -> DigestChallenge {
        let header = format!(
            "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", \
             algorithm={algorithm}, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
             opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
        );
        let challenges = parse_challenges(&header);
        assert_eq!(challenges.len(), 1);
        DigestChallenge::from_challenge(&challenges[0]).unwrap_or_else(|| panic!("{header}"))
    }

    fn response_of(header: &str) -> Option<String> {
        parse_challenges(header)
            .first()?
            .param("response")
            .map(str::to_owned)
    }

    #[test]
    fn digest_md5_matches_rfc7616_example() {
        let challenge = rfc7616("MD5");
        assert_eq!(challenge.qop, Some(Qop::Auth));
        let header = challenge.authorization(
            "Mufasa",
            "Circle of Life",
            "GET",
            "/dir/index.html",
            b"",
            1,
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        );
        assert_eq!(
            response_of(&header).as_deref(),
            Some("8ca523f5e9506fed4657c9700eebdbec")
        );
        assert!(header.contains("nc=00000001"), "{header}");
        assert!(
            header.contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""),
            "{header}"
        );
    }

    #[test]
    fn digest_sha256_matches_rfc7616_example() {
        let header = rfc7616("SHA-256").authorization(
            "Mufasa",
            "Circle of Life",
            "GET",
            "/dir/index.html",
            b"",
            1,
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        );
        assert_eq!(
            response_of(&header).as_deref(),
            Some("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        );
        assert!(header.contains("algorithm=SHA-256"), "{header}");
    }

    #[test]
    fn parses_virtuoso_challenge_and_several_schemes_in_one_header() {
        let v = parse_challenges(
            "Digest realm=\"SPARQL\", domain=\"/sparql-auth\", nonce=\"4b89\", \
             opaque=\"5ebe\", stale=\"false\", qop=\"auth\", algorithm=\"MD5\"",
        );
        let digest = DigestChallenge::from_challenge(&v[0]);
        assert_eq!(digest.as_ref().map(|d| d.realm.as_str()), Some("SPARQL"));
        assert_eq!(digest.as_ref().map(|d| d.stale), Some(false));
        let both = parse_challenges("Basic realm=\"a \\\"b\\\"\", Digest realm=x, nonce=n");
        assert_eq!(both.len(), 2);
        assert_eq!(both[0].scheme, "basic");
        assert_eq!(both[0].param("realm"), Some("a \"b\""));
        assert_eq!(both[1].param("nonce"), Some("n"));
        // Garbage never loops or panics.
        for junk in ["=", "\"", "Digest ==,, \"unterminated", "", ",,,"] {
            let _ = parse_challenges(junk);
        }
    }

    #[test]
    fn unknown_digest_algorithms_are_not_answered() {
        let c = parse_challenges("Digest realm=r, nonce=n, algorithm=SHA-512-256");
        assert_eq!(DigestChallenge::from_challenge(&c[0]), None);
    }

    #[test]
    fn basic_is_rfc7617_base64() {
        assert_eq!(
            basic_authorization("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn password_goes_out_only_after_a_challenge_and_digest_counts_nonces() {
        let auth = Authenticator::new(Credentials::Password {
            user: "dba".into(),
            password: "dba".into(),
        });
        assert_eq!(auth.authorization("PUT", "/g", b""), None);
        let challenge = parse_challenges("Digest realm=\"SPARQL\", nonce=\"n1\", qop=\"auth\"");
        assert!(auth.learn(&challenge));
        let first = auth.authorization("PUT", "/g", b"").unwrap_or_default();
        let second = auth.authorization("PUT", "/g", b"").unwrap_or_default();
        assert!(first.contains("nc=00000001") && second.contains("nc=00000002"));
        // The same nonce again means the password was refused: do not repeat.
        assert!(!auth.learn(&challenge));
        let bearer = Authenticator::new(Credentials::Bearer("t0k".into()));
        assert_eq!(
            bearer.authorization("POST", "/u", b"").as_deref(),
            Some("Bearer t0k")
        );
        assert!(!bearer.learn(&challenge));
    }
}
