//! Peak resident memory (Linux `VmHWM`, what `/usr/bin/time -v` reports as maximum
//! resident set size) of each phase of `apertura score FILE --format csv`, the peak reset
//! between phases through `/proc/self/clear_refs`:
//!
//! ```text
//! cargo run --release -p apertura-benches --example rss_phases -- /tmp/big.csv
//! ```

use apertura::{io, Edition, Options, Plan};

fn status(key: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let line = s.lines().find(|l| l.starts_with(key)).expect("key in status");
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<f64>()
        .expect("kB")
        / 1e3
}

fn phase(name: &str) {
    println!(
        "{name:<28} peak {:6.1} MB, now {:6.1} MB",
        status("VmHWM:"),
        status("VmRSS:")
    );
    // "5" resets the peak to the current resident size (Linux >= 4.0).
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: rss_phases FILE");
    let e = Edition::load("mga-2017").unwrap();
    let plan = Plan::new(&e, &Options::default()).unwrap();
    phase("start");
    let bytes = std::fs::read(&path).expect("readable file");
    phase("file read");
    let data = io::read_csv(&bytes, &e, &path).unwrap();
    phase("read_csv");
    drop(bytes);
    phase("bytes dropped");
    let prepared = plan.prepare_owned(data).unwrap();
    phase("prepare_owned");
    let mut scores = plan.buffer(&prepared);
    plan.evaluate_into(&prepared, &mut scores).unwrap();
    phase("evaluate_into");
    drop(prepared);
    let mut sink = std::io::sink();
    io::write_score_csv(&mut sink, &e, &scores, None).unwrap();
    phase("write_score_csv");
}
