//! The blocking transport against a scripted loopback server: framing, reuse, idle closes,
//! timeouts. (Python tests cover it end to end: every sync call on the direct path to an
//! `http://` endpoint goes through it.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::*;

/// What the scripted server does with one request on a connection.
enum Step {
    /// Writes these bytes as the answer, keeps the connection.
    Answer(&'static [u8]),
    /// Writes these bytes, then closes the connection.
    AnswerAndClose(&'static [u8]),
    /// Closes the connection without answering once the request has arrived.
    Close,
    /// Reads the request and never answers (until the client goes).
    Silence,
}

/// A server that plays `connections` in order: each is the steps of one accepted
/// connection. Reports each request's connection number.
fn serve(connections: Vec<Vec<Step>>) -> (String, mpsc::Receiver<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for (number, steps) in connections.into_iter().enumerate() {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            for step in steps {
                if !read_request(&mut reader) {
                    break;
                }
                let _ = tx.send(number);
                match step {
                    Step::Answer(bytes) => writer.write_all(bytes).unwrap(),
                    Step::AnswerAndClose(bytes) => {
                        writer.write_all(bytes).unwrap();
                        break;
                    }
                    Step::Close => break,
                    Step::Silence => {
                        let _ = reader.read_to_end(&mut Vec::new());
                        break;
                    }
                }
            }
        }
    });
    (format!("http://{address}/"), rx)
}

/// Reads one request (head and Content-Length body); false at the end of the stream.
fn read_request(reader: &mut BufReader<TcpStream>) -> bool {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return false;
        }
        if line == "\r\n" {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).is_ok()
}

/// A request as `request_bytes` writes one, and where it goes.
struct Request {
    authority: String,
    bytes: Vec<u8>,
}

fn request(uri: &str) -> Request {
    let authority = uri.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let bytes = format!("POST / HTTP/1.1\r\nhost: {authority}\r\ncontent-length: 2\r\n\r\n{{}}").into_bytes();
    Request { authority, bytes }
}

impl Pool {
    fn send(&self, request: &Request, limits: &Limits) -> Result<(Reply, Option<Lease>), Failure> {
        self.attempt(&request.authority, &request.bytes, limits)
    }
}

fn limits() -> Limits {
    Limits { connect: Some(Duration::from_secs(5)), read: Some(Duration::from_secs(5)), deadline: None }
}

const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-amzn-RequestId: r1\r\ndate: Mon, 07 Dec 2026 05:00:00 GMT\r\n\r\n{}";

/// The body of a successful attempt; its connection goes back to the pool, as the attempt
/// loop gives back a connection that nothing poisoned.
fn body_of(pool: &Pool, result: Result<(Reply, Option<Lease>), Failure>) -> Bytes {
    match result {
        Ok((reply, lease)) => {
            if let Some(lease) = lease {
                pool.keep(lease);
            }
            reply.body
        }
        Err(_) => panic!("the attempt failed"),
    }
}

fn connector_error(result: Result<(Reply, Option<Lease>), Failure>) -> ConnectorError {
    match result {
        Err(Failure::Connector(e)) => e,
        Ok(_) => panic!("the attempt succeeded"),
        Err(_) => panic!("not a connector error"),
    }
}

#[test]
fn a_kept_alive_connection_carries_the_next_request() {
    let (uri, seen) = serve(vec![vec![Step::Answer(OK), Step::Answer(OK)]]);
    let pool = Pool::default();

    let (reply, lease) = pool.send(&request(&uri), &limits()).ok().unwrap();
    pool.keep(lease.expect("reusable"));
    assert_eq!((reply.status, reply.body.as_ref()), (200, b"{}".as_ref()));
    assert_eq!(reply.request_id.as_deref(), Some("r1"));
    assert!(reply.date.is_some());
    assert_eq!(body_of(&pool, pool.send(&request(&uri), &limits())).as_ref(), b"{}");

    assert_eq!(seen.try_iter().collect::<Vec<_>>(), [0, 0], "both requests on the first connection");
}

#[test]
fn a_chunked_body_is_decoded() {
    let answer = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4;x=y\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\ntrailer: t\r\n\r\n";
    let (uri, _) = serve(vec![vec![Step::Answer(answer), Step::Answer(OK)]]);
    let pool = Pool::default();

    assert_eq!(body_of(&pool, pool.send(&request(&uri), &limits())).as_ref(), b"{\"a\":1}");
    assert_eq!(body_of(&pool, pool.send(&request(&uri), &limits())).as_ref(), b"{}", "the connection stays usable");
}

#[test]
fn a_body_without_length_is_read_to_the_close_and_the_connection_is_not_reused() {
    let (uri, seen) = serve(vec![vec![Step::AnswerAndClose(b"HTTP/1.1 200 OK\r\n\r\n{\"whole\":true}")], vec![Step::Answer(OK)]]);
    let pool = Pool::default();

    assert_eq!(body_of(&pool, pool.send(&request(&uri), &limits())).as_ref(), b"{\"whole\":true}");
    assert_eq!(body_of(&pool, pool.send(&request(&uri), &limits())).as_ref(), b"{}");
    assert_eq!(seen.try_iter().collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn connection_close_is_honoured() {
    let closing = b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}";
    let (uri, seen) = serve(vec![vec![Step::Answer(closing), Step::Answer(OK)], vec![Step::Answer(OK)]]);
    let pool = Pool::default();

    body_of(&pool, pool.send(&request(&uri), &limits()));
    body_of(&pool, pool.send(&request(&uri), &limits()));
    assert_eq!(seen.try_iter().collect::<Vec<_>>(), [0, 1], "a new connection after `connection: close`");
}

#[test]
fn a_connection_not_given_back_is_not_reused() {
    let (uri, seen) = serve(vec![vec![Step::Answer(OK), Step::Answer(OK)], vec![Step::Answer(OK)]]);
    let pool = Pool::default();

    let (_, lease) = pool.send(&request(&uri), &limits()).ok().unwrap();
    drop(lease); // poisoned by the attempt loop
    body_of(&pool, pool.send(&request(&uri), &limits()));
    assert_eq!(seen.try_iter().collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn an_idle_connection_the_server_closed_is_not_reused() {
    let (uri, seen) = serve(vec![vec![Step::AnswerAndClose(OK)], vec![Step::Answer(OK)]]);
    let pool = Pool::default();

    body_of(&pool, pool.send(&request(&uri), &limits()));
    // The server has closed its end by now; the client was not told in the answer.
    thread::sleep(Duration::from_millis(100));
    assert_eq!(body_of(&pool, pool.send(&request(&uri), &limits())).as_ref(), b"{}", "sent on a new connection, no failed attempt");
    assert_eq!(seen.try_iter().collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn informational_heads_are_skipped() {
    let answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
    let (uri, _) = serve(vec![vec![Step::Answer(answer)]]);

    let pool = Pool::default();
    assert_eq!(body_of(&pool, pool.send(&request(&uri), &limits())).as_ref(), b"{}");
}

#[test]
fn a_close_before_the_answer_is_an_io_error() {
    let (uri, _) = serve(vec![vec![Step::Close]]);

    let error = connector_error(Pool::default().send(&request(&uri), &limits()));
    assert!(error.is_io(), "{error:?}");
}

#[test]
fn a_body_cut_short_fails_after_the_head() {
    let (uri, _) = serve(vec![vec![Step::AnswerAndClose(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n{}")]]);

    assert!(matches!(Pool::default().send(&request(&uri), &limits()), Err(Failure::Body(_))));
}

#[test]
fn more_than_the_content_length_is_an_error() {
    let (uri, _) = serve(vec![vec![Step::Answer(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}{}")]]);

    assert!(matches!(Pool::default().send(&request(&uri), &limits()), Err(Failure::Body(_))));
}

#[test]
fn a_garbled_head_is_an_io_error() {
    let (uri, _) = serve(vec![vec![Step::Answer(b"HTTQ/9 ??\r\n\r\n")]]);

    let error = connector_error(Pool::default().send(&request(&uri), &limits()));
    assert!(error.is_io() && format!("{error:?}").contains("invalid HTTP response head"), "{error:?}");
}

#[test]
fn the_read_timeout_ends_a_silent_wait() {
    let (uri, _) = serve(vec![vec![Step::Silence]]);
    let limits = Limits { read: Some(Duration::from_millis(200)), ..limits() };
    let started = Instant::now();

    let error = connector_error(Pool::default().send(&request(&uri), &limits));
    assert!(error.is_timeout(), "{error:?}");
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    assert_eq!(cause.as_deref(), Some("HTTP read timeout occurred after 200ms"), "worded as the connector words it");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(200) && took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn the_operation_deadline_ends_a_silent_wait() {
    let (uri, _) = serve(vec![vec![Step::Silence]]);
    let limits = Limits { read: None, deadline: Some(Instant::now() + Duration::from_millis(150)), ..limits() };

    assert!(matches!(Pool::default().send(&request(&uri), &limits), Err(Failure::Deadline)));
}

#[test]
fn refused_connections_are_io_errors() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let error = connector_error(Pool::default().send(&request(&format!("http://127.0.0.1:{port}/")), &limits()));
    assert!(error.is_io(), "{error:?}");
}

#[test]
fn authorities_split_into_host_and_port() {
    assert_eq!(split_authority("localhost:8000", 80), ("localhost", 8000));
    assert_eq!(split_authority("example.com", 80), ("example.com", 80));
    assert_eq!(split_authority("[::1]:9000", 80), ("::1", 9000));
    assert_eq!(split_authority("[::1]", 80), ("::1", 80));
}

#[test]
fn requests_made_together_are_not_alone() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        assert!(alone());
        together(async { assert!(!alone(), "inside a fan-out") }).await;
        assert!(alone(), "only inside it");
    });
}

#[test]
fn request_bytes_carry_the_signed_request_headers_and_body() {
    use super::super::sign::{sign, SigningKeys, Target};
    let keys = SigningKeys::default();
    let target = Target { uri: "http://127.0.0.1:8000/", host: "127.0.0.1:8000", region: "us-east-1", name: "dynamodb", user_agent: "pydynox/test md/direct", keys: &keys };
    let body = Bytes::from_static(br#"{"TableName":"t"}"#);
    let credentials = aws_credential_types::Credentials::new("AKID", "secret", Some("token".into()), None, "test");
    let at = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);

    let bytes = request_bytes(&sign(&target, "GetItem", &body, &credentials, at).unwrap());
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut parsed = httparse::Request::new(&mut headers);
    let head = match parsed.parse(&bytes).unwrap() {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => panic!("a whole head"),
    };
    assert_eq!((parsed.method, parsed.path), (Some("POST"), Some("/")));
    assert_eq!(&bytes[head..], body.as_ref());
    let mut written: Vec<(String, Vec<u8>)> = parsed.headers.iter().map(|h| (h.name.to_owned(), h.value.to_vec())).collect();
    written.sort();
    let http = sign(&target, "GetItem", &body, &credentials, at).unwrap().into_http().unwrap();
    let mut expected: Vec<(String, Vec<u8>)> = http.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec())).collect();
    expected.sort();
    assert_eq!(written, expected);
}
