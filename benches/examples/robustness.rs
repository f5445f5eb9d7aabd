//! Robustness-analysis benchmarks (issue 8, section 6), timed end to end in the core
//! (data already in memory; the CLI adds CSV reading and writing):
//!
//! * UA: weights +-25 % at every parent, N = 10,000 runs, 2,043 item-level institutions;
//! * SA: the 17 item weights as separate factors (+-25 %), N = 1,024 (19,456 runs), 908
//!   institutions, S1 and ST of every institution's score and rank, R_S and the national
//!   mean, 200 bootstrap resamples;
//! * UA, N = 1,000 on the published 2017 file (`../shared`), the interactive case;
//!
//! each on one and two threads, median of `REPS` (default 3) runs, with the ratio to
//! COINr's cost measured on this kind of machine (0.06-0.07 s per run on 908 units,
//! `../shared/spec/robustness.md` section 1.4).
//!
//! `cargo run --release -p apertura-benches --example robustness`
use apertura::robustness::{sensitivity, uncertainty, Evidence, FactorSpec, SensitivityOptions, UncertaintyOptions};
use apertura::{io, synthetic, Edition, Options, Plan};
use apertura_benches::time;

fn main() {
    let reps: usize = std::env::var("REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let e = Edition::load("mga-2017").unwrap();
    let plan = Plan::new(&e, &Options::default()).unwrap();
    let none = Evidence::default();
    let coinr_per_run = (0.06, 0.07);
    println!("| job | runs | threads | time (s) | COINr at 0.06-0.07 s/run | ratio |");
    println!("|---|---|---|---|---|---|");
    let row = |job: &str, runs: usize, threads: usize, t: f64| {
        let (lo, hi) = (coinr_per_run.0 * runs as f64, coinr_per_run.1 * runs as f64);
        println!(
            "| {job} | {runs} | {threads} | {t:.3} | {lo:.0}-{hi:.0} s | {:.0}-{:.0}x |",
            lo / t,
            hi / t
        );
    };

    // UA, 2,043 item-level institutions, N = 10,000.
    let data = synthetic::item_level(&e, 2043, 1);
    let spec = FactorSpec {
        weight_noise: Some(0.25),
        ..Default::default()
    };
    for threads in [1, 2] {
        let opts = UncertaintyOptions {
            n: 10_000,
            threads: Some(threads),
            ..Default::default()
        };
        let t = time(reps, || {
            uncertainty(&plan, &data, &none, &spec, &opts, None, &mut |_, _| true).unwrap();
        });
        row(
            "UA, 2,043 institutions, weights +-25 % at every parent (23 factors)",
            10_000,
            threads,
            t,
        );
    }

    if std::env::var("ONLY").as_deref() == Ok("ua") {
        return;
    }
    // SA, 908 item-level institutions, the 17 item weights.
    let data = synthetic::item_level(&e, 908, 1);
    let spec = FactorSpec {
        weight_noise: Some(0.25),
        weight_parents: Some(["tg", "tc", "pg", "pc"].iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    };
    for threads in [1, 2] {
        let opts = SensitivityOptions {
            n: 1024,
            bootstrap: 200,
            threads: Some(threads),
            ..Default::default()
        };
        let mut d = 0;
        let t = time(reps, || {
            let r = sensitivity(&plan, &data, &none, &spec, &opts, None, &mut |_, _| true).unwrap();
            d = r.factors.len();
        });
        row(
            &format!("SA, 908 institutions, {d} item weights, every score and rank, B = 200"),
            1024 * (d + 2),
            threads,
            t,
        );
    }

    // UA on the published 2017 file, N = 1,000.
    let path = std::env::var("APERTURA_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::PathBuf::from("../shared"))
        .join("mga-data/mga2017_sujetos_obligados_BSO.csv");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let data = io::read_csv(&bytes, &e, "BSO.csv").unwrap();
            let spec = FactorSpec {
                weight_noise: Some(0.25),
                ..Default::default()
            };
            for threads in [1, 2] {
                let opts = UncertaintyOptions {
                    n: 1000,
                    threads: Some(threads),
                    ..Default::default()
                };
                let t = time(reps, || {
                    uncertainty(&plan, &data, &none, &spec, &opts, None, &mut |_, _| true).unwrap();
                });
                row(
                    "UA, published 2017 file (908), weights +-25 % at every level",
                    1000,
                    threads,
                    t,
                );
            }
        }
        Err(e) => println!("(published 2017 file not found at {}: {e})", path.display()),
    }
}
