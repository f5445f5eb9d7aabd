//! Times the phases of `apertura score FILE --format csv` in one process: reading bytes and
//! reading the file in chunks as the CLI does (set
//! `RAYON_NUM_THREADS=1` for one thread; by default the reader splits the file in two), scoring, and writing the CSV and
//! JSON score tables to a sink (medians of repeats).
//!
//! ```text
//! cargo run --release -p apertura-benches --example big_csv -- /tmp/big.csv
//! cargo run --release -p apertura-benches --example io_phases -- /tmp/big.csv [REPEATS]
//! ```

use apertura::{io, Edition, Options, Plan};
use apertura_benches::time;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: io_phases FILE [REPEATS]");
    let reps: usize = args.next().map_or(7, |s| s.parse().expect("REPEATS: a number"));
    let bytes = std::fs::read(&path).expect("readable file");
    let e = Edition::load("mga-2017").unwrap();
    let plan = Plan::new(&e, &Options::default()).unwrap();
    let mb = bytes.len() as f64 / 1e6;
    let tn = time(reps, || drop(io::read_csv(&bytes, &e, &path).unwrap()));
    let threads = std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into());
    println!(
        "read_csv {mb:.1} MB (RAYON_NUM_THREADS={threads}): {:.1} ms ({:.0} MB/s)",
        tn * 1e3,
        mb / tn
    );
    let tf = time(reps, || {
        drop(io::read_csv_file(std::path::Path::new(&path), &e, &path, &[]).unwrap())
    });
    println!(
        "read_csv_file (in chunks, page cache): {:.1} ms ({:.0} MB/s)",
        tf * 1e3,
        mb / tf
    );
    let data = io::read_csv(&bytes, &e, &path).unwrap();
    let ts = time(reps, || drop(plan.score(&data).unwrap()));
    println!("score {:.1} ms", ts * 1e3);
    let scores = plan.score(&data).unwrap();
    let mut out = Vec::with_capacity(64 << 20);
    let tw = time(reps, || {
        out.clear();
        io::write_score_csv(&mut out, &e, &scores, None).unwrap();
    });
    println!(
        "write_score_csv {:.1} ms ({:.1} MB, {:.0} MB/s)",
        tw * 1e3,
        out.len() as f64 / 1e6,
        out.len() as f64 / 1e6 / tw
    );
    let tj = time(reps, || {
        out.clear();
        io::write_scores_json(&mut out, &e, &scores, true).unwrap();
    });
    println!(
        "write_scores_json (pretty) {:.1} ms ({:.1} MB)",
        tj * 1e3,
        out.len() as f64 / 1e6
    );
}
