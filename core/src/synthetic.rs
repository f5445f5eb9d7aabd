//! Deterministic synthetic data, for samples, tests and benchmarks (never real results).
//!
//! A small SplitMix64 generator makes item-level institutions for an edition: items on the
//! grids the 2017 data suggest (binary or thirds), gates respected, so every dataset scores
//! under the default settings. The same seed always gives the same data on every platform.

use crate::edition::Edition;
use crate::input::{Cell, Column, Dataset};
use crate::input::{Institution, InstitutionType, Jurisdiction, Level};

/// SplitMix64: tiny, fast, good enough for synthetic data.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// `n` synthetic institutions with every leaf item of `edition` observed, gates respected.
///
/// Items take values in thirds (0, 1/3, 2/3, 1); gating items are binary. Institutions
/// cycle through the 33 jurisdictions, the three levels and the 11 types of 2017.
pub fn item_level(edition: &Edition, n: usize, seed: u64) -> Dataset {
    let mut rng = SplitMix64::new(seed);
    let t = &edition.tree;
    let leaves: Vec<usize> = (0..t.ids.len()).filter(|&j| t.is_leaf[j]).collect();
    let mut institutions = Vec::with_capacity(n);
    let mut cols: Vec<Vec<Cell>> = (0..leaves.len()).map(|_| Vec::with_capacity(n)).collect();
    let mut vals = vec![0.0f64; t.ids.len()];
    for i in 0..n {
        let j = Jurisdiction::ALL[i % 33];
        let kind = InstitutionType::KNOWN[(i / 33) % 11].clone();
        let level = if j == Jurisdiction::Federal {
            Level::Federal
        } else if kind == InstitutionType::Municipio {
            Level::Municipal
        } else {
            Level::Estatal
        };
        institutions.push(Institution {
            id: format!("syn-{i:06}"),
            name: format!("Synthetic institution {i}"),
            jurisdiction: Some(j),
            level: Some(level),
            kind: Some(kind),
            metadata: Default::default(),
        });
        // An institution-level "openness" so items correlate.
        let openness = rng.next_f64();
        for &leaf in &leaves {
            let r = rng.next_f64();
            let v = ((openness * 0.7 + r * 0.6) * 3.0).floor().min(3.0) / 3.0;
            vals[leaf] = v;
        }
        for (when, opens, gated, _) in &t.gates {
            // Gating items binary; close gates as the data would.
            let w = if vals[*when] >= 0.5 { 1.0 } else { 0.0 };
            vals[*when] = w;
            let open = match opens {
                crate::edition::GateOpensWhen::Positive => w > 0.0,
                crate::edition::GateOpensWhen::Full => w >= 1.0,
            };
            if !open {
                for &g in gated {
                    vals[g] = 0.0;
                }
            }
        }
        for (c, &leaf) in leaves.iter().enumerate() {
            cols[c].push(Cell::Value(vals[leaf]));
        }
    }
    let mut data = Dataset::new(institutions);
    for (c, &leaf) in leaves.iter().enumerate() {
        data.columns.push(Column {
            header: t.ids[leaf].clone(),
            cells: std::mem::take(&mut cols[c]),
            rows: None,
            answers: None,
        });
    }
    data
}
