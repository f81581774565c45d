//! Sync calls to a plain-HTTP endpoint (`http://`: DynamoDB Local, dynalite, moto, a local
//! gateway), sent over blocking sockets that the calling thread owns (ADR 30).
//!
//! Why: a sync call already runs on its own thread with the GIL released. Driving hyper's
//! pooled connection there costs a connection task, runtime turns, timer registrations
//! and the wake-ups between them (measured: 5 `epoll_wait` and 3 eventfd writes per
//! GetItem, several times the cost of the round trip itself). A blocking socket does the
//! round trip in the syscalls it needs: one write, one read.
//!
//! What it keeps from the connector it replaces: one pool per client and calling thread
//! (`ClientShared::direct_here`), the connect timeout, the read timeout (from sending until
//! the response head), the stalled-body grace, `Connection: close`, Content-Length and
//! chunked bodies, and no reuse of a connection that failed or that the server closed
//! while it was idle (checked before each reuse, without blocking). The operation
//! deadline and Ctrl-C are checked between slices of at most [`SLICE`] of waiting.
//! TLS and proxies stay on the connector (`Direct::plain_allowed`).

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use aws_smithy_runtime_api::client::result::ConnectorError;
use bytes::{Bytes, BytesMut};

use super::http::{Failure, Reply, STALL_GRACE};
use super::sign::Signed;

/// The longest a blocking read or write waits before the deadlines and signals are
/// checked again (the SDK path's Ctrl-C poll is the same 50 ms, `runtime::SIGNAL_POLL`).
const SLICE: Duration = Duration::from_millis(50);

/// Whether a client built now may send sync calls to `http://` endpoints this way: not
/// when the environment names a proxy for plain HTTP (which only the connector honours),
/// nor with `PYDYNOX_PLAIN_HTTP=0` (the connector then carries them, as for async calls).
pub fn allowed() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    !["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"].into_iter().any(set)
        && std::env::var_os("PYDYNOX_PLAIN_HTTP").is_none_or(|v| v != "0")
}

tokio::task_local! {
    /// Set while an operation has several requests in flight within one future.
    static TOGETHER: ();
}

/// Runs `fut`, which keeps several requests in flight at once within one future (a batch's
/// chunks, a parallel scan's segments): they take the connector, since one blocking
/// attempt would hold up the others on the same thread.
pub async fn together<F: std::future::Future>(fut: F) -> F::Output {
    TOGETHER.scope((), fut).await
}

/// Whether the request being made is the only one in flight in its future.
pub fn alone() -> bool {
    TOGETHER.try_with(|_| ()).is_err()
}

/// Idle connections of one client on one calling thread (a handful: one per endpoint).
#[derive(Default)]
pub struct Pool {
    idle: Mutex<Vec<Conn>>,
}

/// A connection out of the pool that can carry another request; dropped, it is closed.
pub struct Lease(Conn);

struct Conn {
    /// `host:port` this socket is connected to.
    authority: String,
    stream: TcpStream,
    /// The read and write timeout currently set on the socket (saves a syscall per call).
    slice: Duration,
    /// Where reads of up to [`READ_CHUNK`] land.
    scratch: Box<[u8]>,
}

/// The time limits of one attempt.
pub struct Limits {
    pub connect: Option<Duration>,
    /// From sending until the response head has arrived.
    pub read: Option<Duration>,
    /// The operation's deadline (all attempts).
    pub deadline: Option<Instant>,
}

/// An `io::Error` that says which timeout ran out, worded as the SDK's connector words it.
#[derive(Debug)]
struct TimedOut {
    kind: &'static str,
    after: Duration,
}

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} timeout occurred after {:?}", self.kind, self.after)
    }
}

impl std::error::Error for TimedOut {}

/// Why a wait ended early.
enum Stop {
    /// The operation deadline passed.
    Deadline,
    /// A signal handler raised (its exception is kept by `crate::runtime`).
    Interrupted,
    /// One attempt's own timeout ran out.
    Timeout(TimedOut),
    Io(io::Error),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

impl Pool {
    /// Sends one request (`request_bytes`) to `authority` (`host[:port]`) and reads its
    /// whole response, over a pooled connection or a new one. The connection comes back
    /// with the reply if it can carry another request; the caller returns it with
    /// [`Pool::keep`] unless the reply poisons it.
    pub fn attempt(&self, authority: &str, request: &[u8], limits: &Limits) -> Result<(Reply, Option<Lease>), Failure> {
        let mut conn = match self.take_idle(authority) {
            Some(conn) => conn,
            None => connect(authority, 80, limits).map_err(before_head)?,
        };
        let sent = SystemTime::now();
        let started = Instant::now();
        let head_deadline = earliest(limits.read.map(|r| started + r), limits.deadline);
        let mut buffer = BytesMut::new();
        if let Err(stop) = write_all(&mut conn, request, limits, head_deadline, limits.read) {
            return Err(before_head(stop));
        }
        let head = read_head(&mut conn, &mut buffer, limits, head_deadline, limits.read).map_err(before_head)?;
        let received = SystemTime::now();
        let body = read_body(&mut conn, &mut buffer, &head, limits).map_err(after_head)?;
        let reply = Reply {
            status: head.status,
            request_id: head.request_id,
            error_type: head.error_type,
            date: head.date.filter(|_| !head.aged),
            sent,
            received,
            retry_after_ms: head.retry_after_ms,
            body,
        };
        Ok((reply, head.reusable.then_some(Lease(conn))))
    }

    /// Takes back a connection for later requests.
    pub fn keep(&self, lease: Lease) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(lease.0);
    }

    /// An idle connection to `authority` that the server has not closed, if there is one.
    fn take_idle(&self, authority: &str) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(at) = idle.iter().rposition(|c| c.authority == authority) {
            let conn = idle.swap_remove(at);
            if still_open(&conn.stream) {
                return Some(conn);
            }
        }
        None
    }
}

/// Whether an idle connection can carry a request: nothing to read on it yet (a close, or
/// bytes nobody asked for, mean it cannot). Never blocks.
#[cfg(unix)]
fn still_open(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    // SAFETY: a one-byte buffer we own, and the socket's own descriptor.
    let got = unsafe { libc::recv(stream.as_raw_fd(), (&raw mut byte).cast(), 1, libc::MSG_PEEK | libc::MSG_DONTWAIT) };
    got < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

#[cfg(not(unix))]
fn still_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let open = matches!(stream.peek(&mut [0u8]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    open && stream.set_nonblocking(false).is_ok()
}

fn connect(authority: &str, default_port: u16, limits: &Limits) -> Result<Conn, Stop> {
    let started = Instant::now();
    let (host, port) = split_authority(authority, default_port);
    let limit = earliest(limits.connect.map(|c| started + c), limits.deadline);
    let mut last = io::Error::new(io::ErrorKind::NotFound, format!("no address found for {host}"));
    for address in (host, port).to_socket_addrs()? {
        match connect_one(address, limit) {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                // No timeout set yet (ZERO is never one), so set_slice sets it.
                let mut conn = Conn { authority: authority.to_owned(), stream, slice: Duration::ZERO, scratch: vec![0; READ_CHUNK].into_boxed_slice() };
                set_slice(&mut conn, SLICE)?;
                return Ok(conn);
            }
            Err(Stop::Io(e)) if e.kind() == io::ErrorKind::TimedOut => return Err(expired(limits, "HTTP connect", limits.connect)),
            Err(Stop::Io(e)) => last = e,
            Err(stop) => return Err(stop),
        }
    }
    Err(Stop::Io(last))
}

/// Connects to one address by `limit`, waiting in slices so that Ctrl-C is not held up by a
/// server that does not answer (a blocking `connect` cannot be interrupted).
#[cfg(unix)]
fn connect_one(address: std::net::SocketAddr, limit: Option<Instant>) -> Result<TcpStream, Stop> {
    use socket2::{Domain, Protocol, Socket, Type};
    use std::os::fd::AsRawFd;
    let socket = Socket::new(Domain::for_address(address), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_nonblocking(true)?;
    match socket.connect(&address.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => loop {
            let left = limit.map(|l| l.saturating_duration_since(Instant::now()));
            if left.is_some_and(|l| l.is_zero()) {
                return Err(Stop::Io(io::ErrorKind::TimedOut.into()));
            }
            let wait = left.map_or(SLICE, |l| l.min(SLICE));
            let mut ready = libc::pollfd { fd: socket.as_raw_fd(), events: libc::POLLOUT, revents: 0 };
            // SAFETY: one pollfd we own, for the socket's own descriptor.
            let answered = unsafe { libc::poll(&mut ready, 1, wait.as_millis().max(1) as libc::c_int) };
            if answered > 0 {
                break;
            }
            if answered < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return Err(Stop::Io(io::Error::last_os_error()));
            }
            if crate::runtime::signal_raised() {
                return Err(Stop::Interrupted);
            }
        },
        Err(e) => return Err(Stop::Io(e)),
    }
    if let Some(e) = socket.take_error()? {
        return Err(Stop::Io(e));
    }
    socket.set_nonblocking(false)?;
    Ok(socket.into())
}

#[cfg(not(unix))]
fn connect_one(address: std::net::SocketAddr, limit: Option<Instant>) -> Result<TcpStream, Stop> {
    let stream = match limit {
        None => TcpStream::connect(address),
        Some(limit) => match limit.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
            Some(left) => TcpStream::connect_timeout(&address, left),
            None => Err(io::ErrorKind::TimedOut.into()),
        },
    };
    Ok(stream?)
}

/// `(host, port)` of `host[:port]`, IPv6 brackets removed.
fn split_authority(authority: &str, default_port: u16) -> (&str, u16) {
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, port.parse().unwrap_or(default_port)),
        _ => (authority, default_port),
    };
    (host.trim_start_matches('[').trim_end_matches(']'), port)
}

/// The timeout that ends a wait: the operation's, when its deadline is the one that passed.
fn expired(limits: &Limits, kind: &'static str, own: Option<Duration>) -> Stop {
    if limits.deadline.is_some_and(|d| Instant::now() >= d) {
        return Stop::Deadline;
    }
    Stop::Timeout(TimedOut { kind, after: own.unwrap_or_default() })
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A signed request as HTTP/1.1 bytes: one buffer, written with one syscall.
pub fn request_bytes(request: &Signed<'_>) -> Vec<u8> {
    let body = request.body();
    let mut out = Vec::with_capacity(768 + body.len());
    out.extend_from_slice(b"POST ");
    out.extend_from_slice(request.path().as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\n");
    request.headers(|name, value| {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    });
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// Waits out one blocked read or write: Ok to try again, or why to stop. `deadline` is
/// the limit of this phase, `own` the attempt's timeout it comes from (for the error).
fn on_wait(conn: &mut Conn, limits: &Limits, deadline: Option<Instant>, own: Option<Duration>, kind: &'static str) -> Result<(), Stop> {
    if crate::runtime::signal_raised() {
        return Err(Stop::Interrupted);
    }
    let Some(deadline) = deadline else { return Ok(()) };
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(expired(limits, kind, own));
    }
    // Near the end, wait only until the deadline (the socket keeps the shorter timeout
    // until a later call needs the whole slice again).
    Ok(set_slice(conn, left.min(SLICE).max(Duration::from_millis(1)))?)
}

/// Sets the socket's read and write timeout, unless it already has that one.
fn set_slice(conn: &mut Conn, slice: Duration) -> io::Result<()> {
    if slice != conn.slice {
        conn.stream.set_read_timeout(Some(slice))?;
        conn.stream.set_write_timeout(Some(slice))?;
        conn.slice = slice;
    }
    Ok(())
}

fn blocked(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted)
}

fn write_all(conn: &mut Conn, mut bytes: &[u8], limits: &Limits, deadline: Option<Instant>, own: Option<Duration>) -> Result<(), Stop> {
    // A socket left with a shortened timeout by a deadline gets the whole slice back.
    set_slice(conn, SLICE)?;
    while !bytes.is_empty() {
        match conn.stream.write(bytes) {
            Ok(0) => return Err(Stop::Io(io::ErrorKind::WriteZero.into())),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if blocked(&e) => on_wait(conn, limits, deadline, own, "HTTP read")?,
            Err(e) => return Err(Stop::Io(e)),
        }
    }
    Ok(())
}

/// Reads more bytes into `buffer`; Ok(0) at the end of the stream. Up to [`READ_CHUNK`]
/// go through the connection's scratch buffer (zeroed once, not per read); more are read
/// in place.
fn read_more(conn: &mut Conn, buffer: &mut BytesMut, want: usize, limits: &Limits, deadline: Option<Instant>, own: Option<Duration>, kind: &'static str) -> Result<usize, Stop> {
    loop {
        let read = if want <= READ_CHUNK {
            conn.stream.read(&mut conn.scratch[..]).inspect(|&n| buffer.extend_from_slice(&conn.scratch[..n]))
        } else {
            let filled = buffer.len();
            buffer.resize(filled + want, 0);
            let read = conn.stream.read(&mut buffer[filled..]);
            buffer.truncate(filled + *read.as_ref().unwrap_or(&0));
            read
        };
        match read {
            Ok(n) => return Ok(n),
            Err(e) if blocked(&e) => on_wait(conn, limits, deadline, own, kind)?,
            Err(e) => return Err(Stop::Io(e)),
        }
    }
}

/// Bytes asked of the kernel per read when the size to come is not known.
const READ_CHUNK: usize = 16 * 1024;

/// What the response head says.
struct Head {
    status: u16,
    request_id: Option<String>,
    error_type: Option<String>,
    date: Option<String>,
    /// `Age` present: the `Date` is a cache's.
    aged: bool,
    retry_after_ms: Option<u64>,
    framing: Framing,
    /// Whether the connection can carry another request afterwards.
    reusable: bool,
}

enum Framing {
    Length(usize),
    Chunked,
    /// Until the server closes the connection.
    Close,
}

/// Reads until a whole (final, non-1xx) response head is in `buffer`, and removes it.
fn read_head(conn: &mut Conn, buffer: &mut BytesMut, limits: &Limits, deadline: Option<Instant>, own: Option<Duration>) -> Result<Head, Stop> {
    loop {
        if !buffer.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; 48];
            let mut response = httparse::Response::new(&mut headers);
            match response.parse(buffer) {
                Ok(httparse::Status::Complete(length)) => {
                    let status = response.code.unwrap_or(0);
                    let head = (!(100..200).contains(&status)).then(|| head_of(&response, status));
                    let _ = buffer.split_to(length);
                    match head {
                        Some(head) => return head,
                        None => continue,
                    }
                }
                Ok(httparse::Status::Partial) => {}
                Err(e) => return Err(Stop::Io(io::Error::new(io::ErrorKind::InvalidData, format!("invalid HTTP response head: {e}")))),
            }
        }
        if read_more(conn, buffer, 0, limits, deadline, own, "HTTP read")? == 0 {
            return Err(Stop::Io(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed before message completed")));
        }
    }
}

fn head_of(response: &httparse::Response<'_, '_>, status: u16) -> Result<Head, Stop> {
    let invalid = |what: &str| Stop::Io(io::Error::new(io::ErrorKind::InvalidData, format!("invalid HTTP response: {what}")));
    let mut head = Head { status, request_id: None, error_type: None, date: None, aged: false, retry_after_ms: None, framing: Framing::Close, reusable: response.version == Some(1) };
    let mut length = None;
    let mut chunked = false;
    for header in response.headers.iter() {
        let text = || std::str::from_utf8(header.value).ok().map(|v| v.trim().to_owned());
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            let parsed = text().and_then(|v| v.parse::<usize>().ok()).ok_or_else(|| invalid("content-length"))?;
            if length.is_some_and(|l| l != parsed) {
                return Err(invalid("two content-lengths"));
            }
            length = Some(parsed);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = text().is_some_and(|v| v.to_ascii_lowercase().ends_with("chunked"));
        } else if name.eq_ignore_ascii_case("connection") {
            let value = text().unwrap_or_default().to_ascii_lowercase();
            if value.split(',').any(|t| t.trim() == "close") {
                head.reusable = false;
            } else if value.split(',').any(|t| t.trim() == "keep-alive") && response.version == Some(0) {
                head.reusable = true;
            }
        } else if name.eq_ignore_ascii_case("x-amzn-requestid") {
            head.request_id = text();
        } else if name.eq_ignore_ascii_case("x-amzn-errortype") {
            head.error_type = text();
        } else if name.eq_ignore_ascii_case("date") {
            head.date = text();
        } else if name.eq_ignore_ascii_case("age") {
            head.aged = true;
        } else if name.eq_ignore_ascii_case("x-amz-retry-after") {
            head.retry_after_ms = text().and_then(|v| v.parse().ok());
        }
    }
    head.framing = if chunked {
        Framing::Chunked
    } else if let Some(length) = length {
        Framing::Length(length)
    } else if status == 204 || status == 304 {
        Framing::Length(0)
    } else {
        head.reusable = false;
        Framing::Close
    };
    Ok(head)
}

/// Reads the body `head` announces; `buffer` holds what was read past the head.
fn read_body(conn: &mut Conn, buffer: &mut BytesMut, head: &Head, limits: &Limits) -> Result<Bytes, Stop> {
    let mut body = Body { conn, buffer, limits };
    match head.framing {
        Framing::Length(length) => {
            body.fill(length)?;
            if body.buffer.len() > length {
                return Err(Stop::Io(io::Error::new(io::ErrorKind::InvalidData, "the server sent more than the response's Content-Length")));
            }
            Ok(body.buffer.split().freeze())
        }
        Framing::Close => {
            while body.more(0)? > 0 {}
            Ok(body.buffer.split().freeze())
        }
        Framing::Chunked => {
            let mut out = BytesMut::new();
            loop {
                let line = body.line()?;
                let size = std::str::from_utf8(&line[..line.len() - 2])
                    .ok()
                    .and_then(|l| usize::from_str_radix(l.split(';').next().unwrap_or("").trim(), 16).ok())
                    .ok_or_else(|| Stop::Io(io::Error::new(io::ErrorKind::InvalidData, "invalid chunk size")))?;
                if size == 0 {
                    // Trailers (ignored) up to the empty line.
                    while body.line()?.len() > 2 {}
                    return Ok(out.freeze());
                }
                body.fill(size + 2)?;
                out.extend_from_slice(&body.buffer[..size]);
                let _ = body.buffer.split_to(size + 2);
            }
        }
    }
}

/// A body being read: each read may wait up to the stalled-body grace (and the deadline).
struct Body<'a> {
    conn: &'a mut Conn,
    buffer: &'a mut BytesMut,
    limits: &'a Limits,
}

impl Body<'_> {
    fn more(&mut self, want: usize) -> Result<usize, Stop> {
        let deadline = earliest(Some(Instant::now() + STALL_GRACE), self.limits.deadline);
        read_more(self.conn, self.buffer, want, self.limits, deadline, Some(STALL_GRACE), "response body stall")
    }

    /// Reads until the buffer holds `length` bytes; the stream ending first is an error.
    fn fill(&mut self, length: usize) -> Result<(), Stop> {
        while self.buffer.len() < length {
            if self.more(length - self.buffer.len())? == 0 {
                return Err(closed_early());
            }
        }
        Ok(())
    }

    /// The next line, CRLF included, taken off the buffer.
    fn line(&mut self) -> Result<BytesMut, Stop> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\r\n") {
                return Ok(self.buffer.split_to(end + 2));
            }
            if self.more(0)? == 0 {
                return Err(closed_early());
            }
        }
    }
}

fn closed_early() -> Stop {
    Stop::Io(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed before the response body was complete"))
}

/// A failure before the response head: the connector's kinds (io, timeout), as the SDK's
/// retry classification expects them.
fn before_head(stop: Stop) -> Failure {
    match stop {
        Stop::Deadline => Failure::Deadline,
        Stop::Interrupted => Failure::Interrupted,
        Stop::Timeout(t) => Failure::Connector(ConnectorError::timeout(Box::new(t))),
        Stop::Io(e) => Failure::Connector(ConnectorError::io(Box::new(e))),
    }
}

fn after_head(stop: Stop) -> Failure {
    match stop {
        Stop::Deadline => Failure::Deadline,
        Stop::Interrupted => Failure::Interrupted,
        Stop::Timeout(t) => Failure::Body(Box::new(t)),
        Stop::Io(e) => Failure::Body(Box::new(e)),
    }
}

#[cfg(test)]
#[path = "plain_tests.rs"]
mod tests;
