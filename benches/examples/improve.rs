//! Improvement-path benchmarks (issue 10), timed end to end in the core (data in memory):
//!
//! * `improve_all` to the national mean, 2,043 synthetic item-level institutions (17
//!   items, the four gates), unit costs and random real costs;
//! * `improve_all` to quadrant II on the published 2017 file (908 institutions, four
//!   perspectives);
//! * one `improve` with the gains (greedy order scored by the engine) and one `frontier`;
//!
//! median of `REPS` (default 3) runs. The peer (SciPy's `milp`) is timed in
//! `benches/python/bench_improve.py`.
//!
//! `cargo run --release -p apertura-benches --example improve`
use apertura::analysis::improve::{frontier, improve, improve_all, ImproveOptions, NodeCost, Target};
use apertura::{io, synthetic, Edition, Options, Plan, Quadrant};
use apertura_benches::time;

fn main() {
    let reps: usize = std::env::var("REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let e = Edition::load("mga-2017").unwrap();
    let plan = Plan::new(&e, &Options::default()).unwrap();
    println!("| job | institutions | time (s) | per institution (ms) |");
    println!("|---|---|---|---|");
    let row = |job: &str, n: usize, t: f64| println!("| {job} | {n} | {t:.3} | {:.3} |", 1e3 * t / n as f64);

    let data = synthetic::item_level(&e, 2043, 1);
    let mean = ImproveOptions::new(Target::Mean);
    let t = time(reps, || {
        improve_all(&plan, &data, &mean).unwrap();
    });
    row("item level, national mean, unit costs", data.len(), t);
    // Real costs: every item its own price (0.5 to 3.0), so sums of costs rarely tie.
    let mut priced = mean.clone();
    priced.costs = e
        .node_ids()
        .iter()
        .filter(|id| id.contains('.'))
        .enumerate()
        .map(|(k, id)| NodeCost {
            node: id.clone(),
            cost_per_step: 0.5 + 0.1537 * k as f64,
            row: None,
        })
        .collect();
    let t = time(reps, || {
        improve_all(&plan, &data, &priced).unwrap();
    });
    row("item level, national mean, 17 different real costs", data.len(), t);
    let q2 = ImproveOptions::new(Target::Quadrant(Quadrant::II));
    let t = time(reps, || {
        improve_all(&plan, &data, &q2).unwrap();
    });
    row("item level, quadrant II", data.len(), t);

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/mga-data/mga2017_sujetos_obligados_BSO.csv");
    if let Ok(bytes) = std::fs::read(&root) {
        let bso = io::read_csv(&bytes, &e, "BSO").unwrap();
        let t = time(reps, || {
            improve_all(&plan, &bso, &q2).unwrap();
        });
        row("published 2017 file (perspectives), quadrant II", bso.len(), t);
    } else {
        println!("(../shared/mga-data absent: the published-file row is skipped)");
    }
    let id = data.institutions[3].id.clone();
    let t = time(reps, || {
        improve(&plan, &data, &id, &priced).unwrap();
    });
    row("one institution with gains (2,043 in the population)", 1, t);
    let t = time(reps, || {
        frontier(&plan, &data, &id, &priced).unwrap();
    });
    row("one frontier with every point's gains", 1, t);
}
