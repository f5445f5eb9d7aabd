//! The native core doing what the Node benchmark times through the WebAssembly package
//! (`benches/wasm/bench-node.mjs` runs this in the same run and prints the ratios):
//!
//!   cargo run --release -p apertura-benches --example wasm_peer -- FILE.csv FILE.json REPS
//!
//! For each call: a plan from the shipped edition with default options (as every wasm call
//! builds one), the input read and scored into `Scores` (what a Rust caller gets; the wasm
//! side also builds JavaScript objects or arrays from them). Prints one JSON object of
//! median milliseconds.
use apertura::{io, Edition, Options, Plan};

use apertura_benches::time;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (csv, json) = (
        std::fs::read(&args[1]).unwrap(),
        std::fs::read_to_string(&args[2]).unwrap(),
    );
    let reps: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(31);
    let edition = Edition::load("mga-2017").unwrap();
    let plan = || Plan::new(&edition, &Options::default()).unwrap();
    let csv_ms = 1e3
        * time(reps, || {
            let p = plan();
            let data = io::read_csv(&csv, &edition, "input").unwrap();
            std::hint::black_box(p.score(&data).unwrap());
        });
    let json_ms = 1e3
        * time(reps, || {
            let p = plan();
            let data = io::read_json(&json, &edition, "input").unwrap();
            std::hint::black_box(p.score(&data).unwrap());
        });
    // Columns: the data already in memory as columns (as `scoreColumns` gets `id` and
    // `jurisdiction` as strings and the items as Float64Arrays), read, scored, and every
    // node's values taken out as columns.
    let text = String::from_utf8(csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let is_text = |h: &str| h == "id" || h == "jurisdiction";
    let mut texts: Vec<(String, Vec<String>)> = Vec::new();
    let mut numbers: Vec<(String, Vec<f64>)> = Vec::new();
    for (j, h) in header.iter().enumerate() {
        if is_text(h) {
            texts.push((h.to_string(), rows.iter().map(|r| r[j].to_string()).collect()));
        } else {
            numbers.push((
                h.to_string(),
                rows.iter().map(|r| r[j].parse::<f64>().unwrap()).collect(),
            ));
        }
    }
    let columns_ms = 1e3
        * time(reps, || {
            let p = plan();
            // the copy stands for the one out of the JavaScript arrays
            let data = io::read_columns(texts.clone(), numbers.clone(), &edition, "input").unwrap();
            let scores = p.score(&data).unwrap();
            let nodes = io::display_nodes(&edition, &scores);
            let out: Vec<Vec<f64>> = nodes
                .iter()
                .map(|n| {
                    let j = scores.node_index(n).unwrap();
                    (0..scores.len())
                        .map(|i| scores.value(i, j).unwrap_or(f64::NAN))
                        .collect()
                })
                .collect();
            std::hint::black_box(out);
        });
    println!("{{\"score_csv_ms\": {csv_ms}, \"score_json_ms\": {json_ms}, \"score_columns_ms\": {columns_ms}}}");
}
