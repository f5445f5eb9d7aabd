//! Readers and writers on the 28.7 MB file of the I/O benchmarks (criterion). Not a test:
//! run with `cargo bench -p apertura-benches --bench io` (`RAYON_NUM_THREADS=1` for the
//! CSV reader on one thread; by default it reads a large quote-free file on two).
//!
//! The data is `benches/examples/big_csv.rs`'s: 100,000 institutions with `id, name,
//! jurisdiction, level, type` and the 17 items of mga-2017 at full precision, gates
//! respected. Throughput is in bytes of the input (readers) or of the output (writers).
//!
//! * `read_csv/100k`: bytes to a dataset (`apertura.score(path)`'s reader).
//! * `read_csv_file/100k`: the same file from disk (page cache) in chunks, the CLI's reader.
//! * `parse_cell`: the 1.7 million item cells of the file, text to cells.
//! * `read_json/10k`, `read_records/10k`: 10,000 of those rows as a JSON array of
//!   objects (the score table's), from text and from a parsed `serde_json::Value` (what
//!   the bindings pass).
//! * `write_score_csv/100k`, `write_scores_json/100k`: the score table streamed to memory
//!   (what `apertura score --format csv|json` writes), and `to_csv(score_table(..))`,
//!   the cells-then-text path the bindings' `to_csv` uses.
//! * `write_dataset_csv/100k`, `write_summary_csv`, `write_summary_json`.

use apertura::{io, Edition, GroupBy, Options, Plan};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[allow(dead_code)]
#[path = "../examples/big_csv.rs"]
mod big_csv;

const N: usize = 100_000;

fn bench(c: &mut Criterion) {
    let e = Edition::load("mga-2017").expect("shipped");
    let plan = Plan::new(&e, &Options::default()).expect("plan");
    let data = big_csv::big_dataset(N, 2017);
    let text = io::dataset_to_csv(&data);
    let bytes = text.as_bytes();

    let mut g = c.benchmark_group("read");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("read_csv/100k", |b| {
        b.iter(|| io::read_csv(bytes, &e, "big.csv").expect("read"))
    });
    let path = std::env::temp_dir().join(format!("apertura-bench-io-{}.csv", std::process::id()));
    std::fs::write(&path, bytes).expect("temporary file");
    g.bench_function("read_csv_file/100k", |b| {
        b.iter(|| io::read_csv_file(&path, &e, "big.csv", &[]).expect("read"))
    });
    std::fs::remove_file(&path).expect("temporary file");
    let cells: Vec<&str> = text.lines().skip(1).flat_map(|l| l.split(',').skip(5)).collect();
    g.throughput(Throughput::Bytes(cells.iter().map(|c| c.len() as u64).sum()));
    g.bench_function("parse_cell", |b| {
        b.iter(|| cells.iter().filter(|c| io::parse_cell(c).is_some()).count())
    });
    let small = io::read_csv(
        text.lines().take(10_001).collect::<Vec<_>>().join("\n").as_bytes(),
        &e,
        "s.csv",
    )
    .expect("read");
    let small_scores = plan.score(&small).expect("scores");
    let value = io::scores_to_json(&e, &small_scores);
    let mut json = Vec::new();
    io::write_scores_json(&mut json, &e, &small_scores, false).expect("write");
    let json = String::from_utf8(json).expect("UTF-8");
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("read_json/10k", |b| {
        b.iter(|| io::read_json(&json, &e, "s.json").expect("read"))
    });
    g.bench_function("read_records/10k", |b| {
        b.iter(|| io::read_records(&value, &e, "s.json").expect("read"))
    });
    g.finish();

    let scores = plan.score(&data).expect("scores");
    let summary = apertura::summary(&plan, &scores, &GroupBy::parse("jurisdiction"));
    let mut out: Vec<u8> = Vec::with_capacity(128 << 20);
    let mut g = c.benchmark_group("write");
    g.sample_size(10);
    io::write_score_csv(&mut out, &e, &scores, None).expect("write");
    g.throughput(Throughput::Bytes(out.len() as u64));
    g.bench_function("write_score_csv/100k", |b| {
        b.iter(|| {
            out.clear();
            io::write_score_csv(&mut out, &e, &scores, None).expect("write")
        })
    });
    g.bench_function("to_csv(score_table)/100k", |b| {
        b.iter(|| {
            let (h, r) = io::score_table(&e, &scores, None);
            io::to_csv(&h, &r)
        })
    });
    out.clear();
    io::write_scores_json(&mut out, &e, &scores, true).expect("write");
    g.throughput(Throughput::Bytes(out.len() as u64));
    g.bench_function("write_scores_json/100k", |b| {
        b.iter(|| {
            out.clear();
            io::write_scores_json(&mut out, &e, &scores, true).expect("write")
        })
    });
    out.clear();
    io::write_dataset_csv(&mut out, &data).expect("write");
    g.throughput(Throughput::Bytes(out.len() as u64));
    g.bench_function("write_dataset_csv/100k", |b| {
        b.iter(|| {
            out.clear();
            io::write_dataset_csv(&mut out, &data).expect("write")
        })
    });
    g.throughput(Throughput::Elements(summary.groups.len() as u64));
    g.bench_function("write_summary_csv", |b| {
        b.iter(|| {
            out.clear();
            io::write_summary_csv(&mut out, &e, &summary, None).expect("write")
        })
    });
    g.bench_function("write_summary_json", |b| {
        b.iter(|| {
            out.clear();
            io::write_summary_json(&mut out, &e, &summary, true).expect("write")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
