//! One HTTP exchange with retries: connection failures, timeouts, 5xx, 408 and 429 are
//! tried again after an exponentially growing pause (honouring `Retry-After`); a 401 is
//! answered with credentials once the challenge says how; everything else is handed back
//! for the caller to judge, since a 404 means "no such service" to the protocol probe but
//! "nothing to delete" to a graph deletion.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ureq::http::{self, Request};

use super::auth::{parse_challenges, Authenticator, Credentials};

/// How often and how patiently a request is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// Pause before the first retry; each later pause doubles it.
    pub first_delay: Duration,
    /// No pause is longer than this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The pause before retry number `retry` (0 for the first retry).
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// Whether a response is worth trying again: the server is overloaded or failing, not
    /// refusing. Virtuoso reports missing permissions as 500 with "SECURITY" or "No
    /// permission" in the body; those never heal by waiting.
    pub fn is_transient(status: u16, body: &str) -> bool {
        match status {
            408 | 429 => true,
            // 501 Not Implemented and 505 HTTP Version Not Supported are final answers.
            501 | 505 => false,
            500..=599 => !(body.contains("SECURITY") || body.contains("No permission")),
            _ => false,
        }
    }
}

/// A request method geokg pushes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Put,
    Post,
    Delete,
    Head,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }
}

/// A final answer from the server (after retries and authentication).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// The start of the response body, for error messages.
    pub body: String,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The server never gave a final answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreachable {
    #[error("no answer after {attempts} tries: {error}")]
    Connection { attempts: u32, error: String },
    #[error("HTTP {status} after {attempts} tries: {body}")]
    Failing {
        attempts: u32,
        status: u16,
        body: String,
    },
}

/// How much of a response body is kept for messages.
const BODY_EXCERPT: u64 = 4096;

/// An HTTP client for one push: a connection pool, the credentials, the retry policy.
pub struct Client {
    agent: ureq::Agent,
    auth: Authenticator,
    pub retry: RetryPolicy,
    /// Whether the password scheme was already asked for with a HEAD request.
    asked: AtomicBool,
}

impl Client {
    pub fn new(credentials: Credentials, retry: RetryPolicy, timeout: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(Duration::from_secs(10)))
            .user_agent(concat!("geokg/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            auth: Authenticator::new(credentials),
            retry,
            asked: AtomicBool::new(false),
        }
    }

    /// Sends one request until it gets a final answer or the retries run out.
    pub fn send(
        &self,
        method: Method,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Reply, Unreachable> {
        self.send_with(self.retry, method, url, content_type, body)
    }

    /// [`Client::send`] with another retry policy (a probe gives up sooner).
    pub fn send_with(
        &self,
        policy: RetryPolicy,
        method: Method,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Reply, Unreachable> {
        let target = request_target(url);
        if !body.is_empty()
            && self.auth.needs_challenge()
            && !self.asked.swap(true, Ordering::Relaxed)
        {
            // A server that wants a password may answer 401 before reading a large body
            // and close the connection, so that the client sees a broken pipe instead of
            // the challenge (Virtuoso does). A HEAD fetches the challenge without a body.
            if let Ok(exchange) = self.exchange(Method::Head, url, None, None, b"") {
                if exchange.reply.status == 401 {
                    self.auth.learn(&exchange.challenges);
                }
            }
        }
        let mut retries = 0;
        let mut auth_rounds = 0;
        loop {
            let authorization = self.auth.authorization(method.as_str(), &target, body);
            let outcome = self.exchange(method, url, content_type, authorization, body);
            let wait = match outcome {
                Ok(exchange) => {
                    if exchange.reply.status == 401
                        && auth_rounds < 2
                        && self.auth.learn(&exchange.challenges)
                    {
                        auth_rounds += 1;
                        continue;
                    }
                    if !RetryPolicy::is_transient(exchange.reply.status, &exchange.reply.body) {
                        return Ok(exchange.reply);
                    }
                    if retries + 1 >= policy.attempts {
                        return Err(Unreachable::Failing {
                            attempts: retries + 1,
                            status: exchange.reply.status,
                            body: exchange.reply.body,
                        });
                    }
                    exchange
                        .retry_after
                        .map(|d| d.min(policy.max_delay))
                        .unwrap_or_else(|| policy.delay(retries))
                }
                Err(error) => {
                    if !body.is_empty() && self.auth.has_password() {
                        // A server refusing the credentials may also close the connection
                        // before reading the body: ask it again, with them, without one.
                        let authorization = self.auth.authorization("HEAD", &target, b"");
                        if let Ok(check) =
                            self.exchange(Method::Head, url, None, authorization, b"")
                        {
                            if check.reply.status == 401 {
                                self.auth.learn(&check.challenges);
                                let stale = check.challenges.iter().any(|c| {
                                    c.param("stale")
                                        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                                });
                                if !stale {
                                    return Ok(check.reply);
                                }
                            }
                        }
                    }
                    if retries + 1 >= policy.attempts {
                        return Err(Unreachable::Connection {
                            attempts: retries + 1,
                            error: error.to_string(),
                        });
                    }
                    policy.delay(retries)
                }
            };
            std::thread::sleep(wait);
            retries += 1;
        }
    }

    fn exchange(
        &self,
        method: Method,
        url: &str,
        content_type: Option<&str>,
        authorization: Option<String>,
        body: &[u8],
    ) -> Result<Exchange, ureq::Error> {
        let mut request = Request::builder()
            .method(method.as_str())
            .uri(url)
            .header(http::header::ACCEPT, "*/*");
        if let Some(content_type) = content_type {
            request = request.header(http::header::CONTENT_TYPE, content_type);
        }
        if let Some(authorization) = authorization {
            request = request.header(http::header::AUTHORIZATION, authorization);
        }
        let mut response = if body.is_empty() && matches!(method, Method::Delete | Method::Head) {
            self.agent.run(request.body(())?)?
        } else {
            self.agent.run(request.body(body)?)?
        };
        let challenges = response
            .headers()
            .get_all(http::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(parse_challenges)
            .collect();
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut excerpt = Vec::new();
        // A body that cannot be read is no reason to doubt the status line.
        let _ = response
            .body_mut()
            .as_reader()
            .take(BODY_EXCERPT)
            .read_to_end(&mut excerpt);
        Ok(Exchange {
            reply: Reply {
                status: response.status().as_u16(),
                body: String::from_utf8_lossy(&excerpt).trim().to_owned(),
            },
            challenges,
            retry_after,
        })
    }
}

struct Exchange {
    reply: Reply,
    challenges: Vec<super::auth::Challenge>,
    retry_after: Option<Duration>,
}

/// The path and query of a URL, as the request line carries them (what Digest signs).
fn request_target(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..]
            .split('#')
            .next()
            .unwrap_or("/")
            .to_owned(),
        None => match after_scheme.find('?') {
            Some(i) => format!("/{}", &after_scheme[i..]),
            None => "/".to_owned(),
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;

    /// A request as the test server saw it.
    #[derive(Debug, Clone)]
    pub struct Seen {
        pub method: String,
        pub target: String,
        pub headers: Vec<(String, String)>,
        pub body: String,
    }

    impl Seen {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// A tiny HTTP/1.1 server on 127.0.0.1:0 that answers each request with what `answer`
    /// returns (status, extra headers, body) and records every request. One connection per
    /// request (it answers `Connection: close`). Stops after `limit` requests.
    pub struct TestServer {
        pub url: String,
        pub seen: Arc<Mutex<Vec<Seen>>>,
        handle: Option<JoinHandle<()>>,
    }

    pub type Answer = (u16, Vec<(String, String)>, String);

    impl TestServer {
        pub fn start(
            limit: usize,
            answer: impl Fn(&Seen, usize) -> Answer + Send + 'static,
        ) -> TestServer {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
            let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
            let seen = Arc::new(Mutex::new(Vec::new()));
            let log = Arc::clone(&seen);
            let handle = std::thread::spawn(move || {
                for (n, stream) in listener.incoming().take(limit).enumerate() {
                    let Ok(stream) = stream else { continue };
                    if let Some(request) = read_request(&stream) {
                        let (status, headers, body) = answer(&request, n);
                        log.lock().unwrap_or_else(|e| e.into_inner()).push(request);
                        let _ = write_response(&stream, status, &headers, &body);
                    }
                }
            });
            TestServer {
                url: format!("http://127.0.0.1:{port}"),
                seen,
                handle: Some(handle),
            }
        }

        pub fn requests(&self) -> Vec<Seen> {
            self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
        }
    }

    impl Drop for TestServer {
        fn drop(&mut self) {
            // The thread ends by itself after its last request; do not wait for it here.
            drop(self.handle.take());
        }
    }

    fn read_request(stream: &TcpStream) -> Option<Seen> {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let mut parts = line.split_whitespace();
        let method = parts.next()?.to_owned();
        let target = parts.next()?.to_owned();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).ok()?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':')?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        Some(Seen {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    fn write_response(
        mut stream: &TcpStream,
        status: u16,
        headers: &[(String, String)],
        body: &str,
    ) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (n, v) in headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        stream.flush()
    }

    pub fn quick_retries() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            first_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
        }
    }

    #[test]
    fn delays_double_up_to_the_ceiling() {
        let policy = RetryPolicy {
            attempts: 10,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        let delays: Vec<u128> = (0..6).map(|r| policy.delay(r).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(policy.delay(200), Duration::from_secs(1));
    }

    #[test]
    fn overload_is_retried_refusal_is_not() {
        assert!(RetryPolicy::is_transient(503, "busy"));
        assert!(RetryPolicy::is_transient(429, ""));
        assert!(!RetryPolicy::is_transient(400, "syntax error"));
        assert!(!RetryPolicy::is_transient(404, ""));
        assert!(!RetryPolicy::is_transient(501, "Method Not Implemented"));
        assert!(!RetryPolicy::is_transient(
            500,
            "Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure"
        ));
    }

    #[test]
    fn server_errors_are_retried_until_the_server_recovers() {
        let server = TestServer::start(3, |_, n| {
            if n < 2 {
                (503, vec![], "try later".into())
            } else {
                (204, vec![], String::new())
            }
        });
        let client = Client::new(Credentials::None, quick_retries(), Duration::from_secs(5));
        let reply = client.send(
            Method::Put,
            &format!("{}/store?graph=x", server.url),
            Some("application/n-triples"),
            b"<a> <b> <c> .\n",
        );
        assert_eq!(reply.map(|r| r.status), Ok(204));
        let seen = server.requests();
        assert_eq!(seen.len(), 3);
        assert!(seen
            .iter()
            .all(|s| s.body == "<a> <b> <c> .\n" && s.method == "PUT"));
    }

    #[test]
    fn a_client_error_is_returned_at_once() {
        let server = TestServer::start(1, |_, _| (400, vec![], "Parse error line 3".into()));
        let client = Client::new(Credentials::None, quick_retries(), Duration::from_secs(5));
        let reply = client.send(Method::Post, &server.url, None, b"x");
        assert_eq!(
            reply,
            Ok(Reply {
                status: 400,
                body: "Parse error line 3".into()
            })
        );
        assert_eq!(server.requests().len(), 1);
    }

    #[test]
    fn gives_up_after_the_last_attempt() {
        let server = TestServer::start(4, |_, _| (502, vec![], "bad gateway".into()));
        let client = Client::new(Credentials::None, quick_retries(), Duration::from_secs(5));
        let reply = client.send(Method::Post, &server.url, None, b"x");
        assert!(matches!(
            reply,
            Err(Unreachable::Failing {
                attempts: 4,
                status: 502,
                ..
            })
        ));
        // A port nobody listens on: connection refused, retried, then reported.
        let closed = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(9);
        let reply = client.send(
            Method::Post,
            &format!("http://127.0.0.1:{closed}/u"),
            None,
            b"x",
        );
        assert!(
            matches!(reply, Err(Unreachable::Connection { attempts: 4, .. })),
            "{reply:?}"
        );
    }

    #[test]
    fn digest_challenge_is_answered_for_the_exact_request_target() {
        let server = TestServer::start(2, |seen, _| match seen.header("authorization") {
            None => (
                401,
                vec![(
                    "WWW-Authenticate".into(),
                    "Digest realm=\"SPARQL\", nonce=\"abc\", qop=\"auth\", algorithm=\"MD5\""
                        .into(),
                )],
                String::new(),
            ),
            Some(_) => (201, vec![], String::new()),
        });
        let client = Client::new(
            Credentials::Password {
                user: "dba".into(),
                password: "secret".into(),
            },
            quick_retries(),
            Duration::from_secs(5),
        );
        let url = format!("{}/sparql-graph-crud-auth?graph=urn%3Ag", server.url);
        assert_eq!(
            client.send(Method::Put, &url, None, b"").map(|r| r.status),
            Ok(201)
        );
        let seen = server.requests();
        let header = seen[1].header("authorization").unwrap_or_default();
        assert!(
            header.contains("uri=\"/sparql-graph-crud-auth?graph=urn%3Ag\""),
            "{header}"
        );
        assert_eq!(seen[1].target, "/sparql-graph-crud-auth?graph=urn%3Ag");
        // Recompute what the server would expect, independently of the client's state.
        let challenge = crate::push::auth::parse_challenges(header);
        let cnonce = challenge[0].param("cnonce").unwrap_or_default();
        let expected = crate::push::auth::parse_challenges(
            "Digest realm=\"SPARQL\", nonce=\"abc\", qop=\"auth\", algorithm=\"MD5\"",
        )
        .iter()
        .find_map(crate::push::auth::DigestChallenge::from_challenge)
        .map(|c| {
            c.authorization(
                "dba",
                "secret",
                "PUT",
                "/sparql-graph-crud-auth?graph=urn%3Ag",
                b"",
                1,
                cnonce,
            )
        });
        assert_eq!(expected.as_deref(), Some(header));
    }

    #[test]
    fn a_large_body_is_sent_once_with_credentials_after_a_head_for_the_challenge() {
        let server = TestServer::start(3, |seen, _| match seen.header("authorization") {
            None => (
                401,
                vec![(
                    "WWW-Authenticate".into(),
                    "Digest realm=\"SPARQL\", nonce=\"n\", qop=\"auth\"".into(),
                )],
                String::new(),
            ),
            Some(_) => (201, vec![], String::new()),
        });
        let client = Client::new(
            Credentials::Password {
                user: "dba".into(),
                password: "dba".into(),
            },
            quick_retries(),
            Duration::from_secs(5),
        );
        let body = "<a> <b> \"c\" .\n".repeat(20_000);
        let url = format!("{}/sparql-graph-crud-auth?graph=g", server.url);
        let first = client.send(Method::Put, &url, None, body.as_bytes());
        assert_eq!(first.map(|r| r.status), Ok(201));
        let second = client.send(Method::Put, &url, None, body.as_bytes());
        assert_eq!(second.map(|r| r.status), Ok(201));
        let seen = server.requests();
        let methods: Vec<&str> = seen.iter().map(|s| s.method.as_str()).collect();
        assert_eq!(methods, ["HEAD", "PUT", "PUT"]);
        assert!(seen[1..]
            .iter()
            .all(|s| s.body.len() == body.len() && s.header("authorization").is_some()));
    }

    #[test]
    fn request_target_keeps_path_and_query() {
        assert_eq!(
            request_target("http://h:1/a/b?graph=x%2Fy"),
            "/a/b?graph=x%2Fy"
        );
        assert_eq!(request_target("http://h:1"), "/");
        assert_eq!(request_target("https://h?x=1"), "/?x=1");
    }
}
