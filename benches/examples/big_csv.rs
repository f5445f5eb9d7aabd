//! Writes the large CSV of the I/O benchmarks: `N` institutions (default 100,000) with
//! `id, name, jurisdiction, level, type` and the 17 items of mga-2017 at full precision
//! (shortest round-trip form), gates respected so the file scores with the default
//! settings. Deterministic: the same seed gives the same bytes on every platform.
//!
//! ```text
//! cargo run --release -p apertura-benches --example big_csv -- big.csv [N] [SEED]
//! ```
//!
//! The structure comes from [`apertura::synthetic::item_level`] (jurisdictions, levels and
//! types cycled, gating items binary, gated items 0 where their gate is closed); every
//! non-zero value of an item that gates nothing is then replaced by a uniform draw in
//! (0, 1], so the cells carry ~17 significant digits as real exports do. Zeros stay zeros,
//! so every closed gate stays closed.

use std::collections::HashSet;

use apertura::synthetic::{item_level, SplitMix64};
use apertura::{io, Cell, Edition};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "big.csv".to_string());
    let n: usize = args.next().map_or(100_000, |s| s.parse().expect("N: a number"));
    let seed: u64 = args.next().map_or(2017, |s| s.parse().expect("SEED: a number"));
    let text = io::dataset_to_csv(&big_dataset(n, seed));
    std::fs::write(&path, &text).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    eprintln!("{path}: {n} institutions, {} bytes", text.len());
}

/// The dataset the file holds (also used by `benches/benches/io.rs`).
pub fn big_dataset(n: usize, seed: u64) -> apertura::Dataset {
    let edition = Edition::load("mga-2017").expect("shipped edition");
    let mut data = item_level(&edition, n, seed);
    // The items that open a gate in mga-2017 (S1 Anexo 1): kept binary.
    let gating: HashSet<&str> = ["pg.mecanismos", "pc.metodo", "pc.recepcion", "pc.activacion"].into();
    let mut rng = SplitMix64::new(seed ^ 0x5EED);
    for column in &mut data.columns {
        if gating.contains(column.header.as_str()) {
            continue;
        }
        for cell in &mut column.cells {
            if let Cell::Value(v) = cell {
                if *v > 0.0 {
                    // (0, 1]: never 0, so an open gate's item stays non-zero.
                    *v = 1.0 - rng.next_f64();
                }
            }
        }
    }
    for inst in &mut data.institutions {
        let place = inst.jurisdiction.map_or("", |j| j.name());
        inst.name = format!("Sujeto obligado sintético número {} de {place}", &inst.id[4..]);
    }
    data
}
