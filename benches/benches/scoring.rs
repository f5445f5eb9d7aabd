//! Scoring throughput of the core (criterion). Not a test: run with
//! `cargo bench -p apertura-benches --bench scoring`.
//!
//! * `score/100k`: the whole pass from a dataset (complete item-level data: checked and
//!   scored by the column kernel, then ranked and classified, into row-major `Scores`) for
//!   100,000 synthetic item-level institutions, 17 items each.
//! * `score_rows/100k`: the same through the row path alone (prepare, buffer, evaluate):
//!   what `score` takes for incomplete data.
//! * `evaluate_into/100k`: re-scoring prepared data into a reused buffer after a weight
//!   change (the robustness-analysis inner loop; allocation-free).
//! * `score_columns/100k`: the column-major path (ids + one `f64` array per item), what
//!   the Python and WebAssembly bindings use for large frames.
//! * `summary_by_jurisdiction/100k`: group summary of those scores.

use apertura::{synthetic, Edition, GateMode, GroupBy, Options, Plan};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

const N: usize = 100_000;

fn plan() -> (Edition, Plan) {
    let e = Edition::load("mga-2017").expect("shipped");
    let p = Plan::new(
        &e,
        &Options {
            gates: Some(GateMode::Error),
            ..Default::default()
        },
    )
    .expect("plan");
    (e, p)
}

fn bench(c: &mut Criterion) {
    let (e, mut p) = plan();
    let data = synthetic::item_level(&e, N, 42);
    let items = e.item_ids().len() as u64;

    let mut g = c.benchmark_group("institutions");
    g.sample_size(20);
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("score/100k", |b| b.iter(|| p.score(&data).expect("scores")));
    // The row path alone (what `score` takes for incomplete data, and took for all data
    // before the column fast path): prepare, buffer, evaluate.
    g.bench_function("score_rows/100k", |b| {
        b.iter(|| {
            let prepared = p.prepare(&data).expect("prepared");
            let mut out = p.buffer(&prepared);
            p.evaluate_into(&prepared, &mut out).expect("scores");
            out
        })
    });
    let prepared = p.prepare(&data).expect("prepared");
    let mut buf = p.buffer(&prepared);
    let mut flip = false;
    g.bench_function("evaluate_into/100k", |b| {
        b.iter(|| {
            flip = !flip;
            p.set_weight("t", if flip { 0.6 } else { 0.4 }).expect("weight");
            p.evaluate_into(&prepared, &mut buf).expect("scores");
        })
    });
    p.reset_weights();
    // Column-major input (numpy / Float64Array style): one contiguous array per item.
    let ids: Vec<&str> = data.institutions.iter().map(|i| i.id.as_str()).collect();
    let cols: Vec<(String, Vec<f64>)> = data
        .columns
        .iter()
        .map(|c| {
            let v = c
                .cells
                .iter()
                .map(|x| if let apertura::Cell::Value(v) = x { *v } else { f64::NAN })
                .collect();
            (c.header.clone(), v)
        })
        .collect();
    let named: Vec<(&str, &[f64])> = cols.iter().map(|(h, v)| (h.as_str(), v.as_slice())).collect();
    g.bench_function("score_columns/100k", |b| {
        b.iter(|| p.score_columns(&ids, &named).expect("scores"))
    });
    let scores = p.score(&data).expect("scores");
    g.bench_function("summary_by_jurisdiction/100k", |b| {
        b.iter(|| apertura::summary(&p, &scores, &GroupBy::Jurisdiction))
    });
    g.finish();

    let mut g = c.benchmark_group("item_values");
    g.sample_size(20);
    g.throughput(Throughput::Elements(N as u64 * items));
    g.bench_function("score/100k", |b| {
        b.iter_batched(|| (), |_| p.score(&data).expect("scores"), BatchSize::SmallInput)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
