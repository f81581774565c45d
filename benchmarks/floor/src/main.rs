//! The floor of the pydynox benchmarks: GetItem and Query made by aws-sdk-dynamodb on a
//! current-thread tokio runtime, with the process's own CPU time (user + sys, all threads)
//! measured around the timed loop exactly as the Python workers measure theirs.
//!
//! Usage: pydynox-bench-floor <get|query> <endpoint> <ops> <warmup>
//!   get:   <ops> GetItem calls of the table `bench_items`, key pk = "item-0"
//!   query: <ops> full reads of partition "q" of `bench_query` (pages of up to 1,000 items)
//! Prints one JSON object on stdout.

use std::time::Instant;

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: {} <get|query> <endpoint> <ops> <warmup>", args[0]);
        std::process::exit(2);
    }
    let (what, endpoint) = (args[1].clone(), args[2].clone());
    let ops: usize = args[3].parse().expect("ops must be a number");
    let warmup: usize = args[4].parse().expect("warmup must be a number");

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
