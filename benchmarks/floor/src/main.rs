//! The floor of the pydynox benchmarks: GetItem and Query made by aws-sdk-dynamodb on a
//! current-thread tokio runtime, with the process's own CPU time (user + sys, all threads)
//! measured around the timed loop exactly as the Python workers measure theirs.
//!
//! Usage: pydynox-bench-floor <get|query|wire> <endpoint> <ops> <warmup>
//!   get:   <ops> GetItem calls of the table `bench_items`, key pk = "item-0"
//!   query: <ops> full reads of partition "q" of `bench_query` (pages of up to 1,000 items)
//!   wire:  the wire floor of GetItem: the SDK's signed request for that same GetItem,
//!          captured once, then resent as bytes <ops> times over one kept-alive socket,
//!          each response read to its end but not decoded (no client can do less per call)
//!   capture: prints that captured request as JSON (host and hex bytes), for the Python
//!          wire floor (benchmarks/worker.py) to resend
//! Prints one JSON object on stdout.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::box_error::BoxError;

fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we hand it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// VmHWM of /proc/self/status (ru_maxrss would include the parent's peak from before exec).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn get_once(client: &Client) -> usize {
    let out = client
        .get_item()
        .table_name("bench_items")
        .key("pk", AttributeValue::S("item-0".into()))
        .send()
        .await
        .expect("GetItem failed");
    out.item().map(|i| i.len()).expect("the item is missing: was the table seeded?")
}

async fn query_once(client: &Client) -> usize {
    let mut items = 0;
    let mut start = None;
    loop {
        let out = client
            .query()
            .table_name("bench_query")
            .key_condition_expression("pk = :p")
            .expression_attribute_values(":p", AttributeValue::S("q".into()))
            .limit(1000)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("Query failed");
        items += out.items().len();
        start = out.last_evaluated_key;
        if start.is_none() {
            return items;
        }
    }
}

/// Keeps the bytes of the request the SDK is about to send (signed, with every header).
#[derive(Debug, Clone, Default)]
struct CaptureRequest(Arc<Mutex<Option<(String, Vec<u8>)>>>);

impl Intercept for CaptureRequest {
    fn name(&self) -> &'static str {
        "bench::CaptureRequest"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let rest = request.uri().split_once("://").map_or(request.uri(), |(_, rest)| rest);
        let (host, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
        let body = request.body().bytes().ok_or("the request body is not in memory")?;
        let mut raw = format!("{} {path} HTTP/1.1\r\n", request.method());
        let has = |name: &str| request.headers().iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        if !has("host") {
            raw += &format!("host: {host}\r\n");
        }
        if !has("content-length") {
            raw += &format!("content-length: {}\r\n", body.len());
        }
        for (name, value) in request.headers().iter() {
            raw += &format!("{name}: {value}\r\n");
        }
        raw += "\r\n";
        let mut bytes = raw.into_bytes();
        bytes.extend_from_slice(body);
        *self.0.lock().unwrap() = Some((host.to_owned(), bytes));
        Ok(())
    }
}

/// Reads one HTTP/1.1 response to its end (Content-Length or chunked), decoding nothing
/// but the framing; `buf` keeps any bytes read past it.
fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> usize {
    let mut chunk = [0u8; 16 * 1024];
    let mut fill = |buf: &mut Vec<u8>| {
        let n = stream.read(&mut chunk).expect("reading the response failed");
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        fill(buf);
    };
    let head = std::str::from_utf8(&buf[..head_end]).expect("response headers are not text").to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "the server refused the resent request: {head}");
    let length = head.lines().find_map(|l| l.strip_prefix("content-length:")).map(|v| v.trim().parse::<usize>().unwrap());
    let end = match length {
        Some(n) => {
            while buf.len() < head_end + n {
                fill(buf);
            }
            head_end + n
        }
        None => loop {
            // Chunked: the body ends with a zero-length chunk.
            if let Some(i) = buf[head_end..].windows(5).position(|w| w == b"0\r\n\r\n") {
                break head_end + i + 5;
            }
            fill(buf);
        },
    };
    buf.drain(..end);
    end - head_end
}

/// The SDK's signed GetItem request for the benchmark item: (host:port, raw HTTP bytes).
fn captured_request(endpoint: &str) -> (String, Vec<u8>) {
    let capture = CaptureRequest::default();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let conf = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
            .load()
            .await;
        let conf = aws_sdk_dynamodb::config::Builder::from(&conf).interceptor(capture.clone()).build();
        get_once(&Client::from_conf(conf)).await;
    });
    let captured = capture.0.lock().unwrap().take();
    captured.expect("no request was captured")
}

fn wire(endpoint: &str, ops: usize, warmup: usize) {
    let (host, request) = captured_request(endpoint);
    let mut stream = TcpStream::connect(&host).expect("cannot connect to the endpoint");
    stream.set_nodelay(true).unwrap();
    let mut buf = Vec::new();
    let mut run = |n: usize| {
        let mut bytes = 0;
        for _ in 0..n {
            stream.write_all(&request).expect("sending the request failed");
            bytes += read_response(&mut stream, &mut buf);
        }
        bytes
    };
    run(warmup);
    let (c0, t0) = (cpu_seconds(), Instant::now());
    let bytes = run(ops);
    let (cpu, wall) = (cpu_seconds() - c0, t0.elapsed().as_secs_f64());
    println!(
        "{{\"ops\": {ops}, \"items\": {ops}, \"cpu_s\": {cpu:.6}, \"wall_s\": {wall:.6}, \"response_bytes\": {}, \"peak_rss_mb\": {:.2}}}",
        bytes / ops.max(1),
        peak_rss_mb()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: {} <get|query|wire> <endpoint> <ops> <warmup>", args[0]);
        std::process::exit(2);
    }
    let (what, endpoint) = (args[1].clone(), args[2].clone());
    let ops: usize = args[3].parse().expect("ops must be a number");
    let warmup: usize = args[4].parse().expect("warmup must be a number");
    if what == "wire" {
        return wire(&endpoint, ops, warmup);
    }
    if what == "capture" {
        let (host, request) = captured_request(&endpoint);
        let hex: String = request.iter().map(|b| format!("{b:02x}")).collect();
        println!("{{\"host\": \"{host}\", \"request_hex\": \"{hex}\"}}");
        return;
    }

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let conf = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
            .load()
            .await;
        let client = Client::new(&conf);
        let run = |n: usize| {
            let client = &client;
            let what = what.clone();
            async move {
                let mut units = 0usize;
                for _ in 0..n {
                    units += if what == "get" { get_once(client).await } else { query_once(client).await };
                }
                units
            }
        };
        if what != "get" && what != "query" {
            eprintln!("unknown scenario {what}");
            std::process::exit(2);
        }
        run(warmup).await;
        let (c0, t0) = (cpu_seconds(), Instant::now());
        let units = run(ops).await;
        let (cpu, wall) = (cpu_seconds() - c0, t0.elapsed().as_secs_f64());
        // For query, "items" is what the Python side divides by; for get, each op is one item.
        let items = if what == "get" { ops } else { units };
        println!(
            "{{\"ops\": {ops}, \"items\": {items}, \"cpu_s\": {cpu:.6}, \"wall_s\": {wall:.6}, \"peak_rss_mb\": {:.2}}}",
            peak_rss_mb()
        );
    });
}
