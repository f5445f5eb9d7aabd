//! Rough phase timings of one scoring pass (100,000 institutions), for profiling by hand:
//! `cargo run --release -p apertura-benches --example phases`. Criterion gives the figures.
use std::time::Instant;

fn main() {
    let e = apertura::Edition::load("mga-2017").unwrap();
    let p = apertura::Plan::new(&e, &apertura::Options::default()).unwrap();
    let data = apertura::synthetic::item_level(
        &e,
        std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000),
        42,
    );
    for _ in 0..3 {
        let t = Instant::now();
        let inst = data.institutions.clone();
        let t_clone = t.elapsed();
        drop(inst);
        let t = Instant::now();
        let prepared = p.prepare(&data).unwrap();
        let t_prep = t.elapsed();
        let t = Instant::now();
        let mut buf = p.buffer(&prepared);
        let t_buf = t.elapsed();
        let t = Instant::now();
        p.evaluate_into(&prepared, &mut buf).unwrap();
        let t_eval = t.elapsed();
        let t = Instant::now();
        p.evaluate_into(&prepared, &mut buf).unwrap();
        let t_eval2 = t.elapsed();
        let t = Instant::now();
        let mut keys: Vec<f64> = (0..buf.len())
            .map(|i| buf.value(i, buf.nodes.len() - 1).unwrap())
            .collect();
        keys.sort_unstable_by(|a, b| b.total_cmp(a));
        let t_sort = t.elapsed();
        println!("clone {t_clone:?}  prepare {t_prep:?}  buffer {t_buf:?}  evaluate {t_eval:?}  again {t_eval2:?}  sort-only {t_sort:?}");
    }
}
