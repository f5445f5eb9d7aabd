//! Ranking and classification, shared by every kernel: competition ranks by descending
//! index value (`rank_desc`, ties share the smallest rank) and the T x P [`Quadrant`].

use serde::{Deserialize, Serialize};

/// Position of an institution in the T x P plane (2017 typology), split at
/// [`Settings::quadrant_split`](crate::Settings::quadrant_split); "high" means strictly above the split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Quadrant {
    /// High transparency, low participation.
    I,
    /// High transparency, high participation.
    II,
    /// Low transparency, low participation.
    III,
    /// Low transparency, high participation.
    IV,
}

impl Quadrant {
    /// Roman numeral.
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::I => "I",
            Quadrant::II => "II",
            Quadrant::III => "III",
            Quadrant::IV => "IV",
        }
    }
    /// The quadrant of a (T, P) pair.
    pub fn of(t: f64, p: f64, split: f64) -> Quadrant {
        match (t > split, p > split) {
            (true, false) => Quadrant::I,
            (true, true) => Quadrant::II,
            (false, false) => Quadrant::III,
            (false, true) => Quadrant::IV,
        }
    }
}

/// Reusable buffers of [`rank_desc`] (a cache: every two compare equal).
#[derive(Clone, Debug, Default)]
pub(crate) struct RankScratch {
    order: Vec<(u64, u32)>,
    tmp: Vec<(u64, u32)>,
    counts: Vec<u32>,
}

impl PartialEq for RankScratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The key a value is ranked on: the value itself, or rounded half up to `digits`
/// decimals where the edition's publisher ranks on rounded scores (GODI, ODB).
#[inline]
pub(crate) fn rank_key(v: f64, digits: Option<u8>) -> f64 {
    match digits {
        None => v,
        Some(d) => round_half_up(v, d),
    }
}

/// Rounds half up (towards +infinity on ties) to `digits` decimals, as GODI's publisher
/// did (Denmark 2014: 82.5 -> 83; Python's round-half-even gives 82).
pub fn round_half_up(v: f64, digits: u8) -> f64 {
    if digits == 0 {
        (v + 0.5).floor()
    } else {
        let f = 10f64.powi(digits as i32);
        (v * f + 0.5).floor() / f
    }
}

/// Ranks by descending key: 1 for the largest; equal keys share the smallest rank.
/// Keys must be finite; their bit patterns are mapped to integers that sort like the
/// values (negative ones included; -0 counts as 0); an LSD radix sort on the bits (no comparisons), every digit's histogram counted in one
/// pass and the passes whose digit is the same for every key skipped. Allocation-free once
/// `scratch` has grown.
pub(crate) fn rank_desc(m: usize, key_of: impl Fn(usize) -> f64, rank: &mut [u32], scratch: &mut RankScratch) {
    // Digit width: 16 bits (4 passes) for large inputs; 11 bits (6 passes, 2,048 counters
    // each) for small ones, where clearing 65,536 counters per pass would cost more than
    // the sort (robustness analysis ranks a few thousand institutions per run).
    let bits: u32 = if m > 1 << 14 { 16 } else { 11 };
    let passes = 64u32.div_ceil(bits) as usize;
    let width = 1usize << bits;
    let mask: u64 = (1 << bits) - 1;
    let RankScratch { order, tmp, counts } = scratch;
    // Descending: sort ascending on the complement of the bits.
    order.clear();
    order.extend((0..m as u32).map(|i| {
        let b = (key_of(i as usize) + 0.0).to_bits();
        let monotone = if b >> 63 == 1 { !b } else { b | 1 << 63 };
        (!monotone, i)
    }));
    tmp.resize(m, (0, 0));
    counts.clear();
    counts.resize(width * passes, 0);
    for &(k, _) in order.iter() {
        for p in 0..passes {
            counts[p * width + ((k >> (p as u32 * bits)) & mask) as usize] += 1;
        }
    }
    for p in 0..passes {
        let c = &mut counts[p * width..(p + 1) * width];
        // Skip passes where every key has the same digit.
        if c.iter().any(|&x| x as usize == m) {
            continue;
        }
        let mut sum = 0u32;
        for x in c.iter_mut() {
            let here = *x;
            *x = sum;
            sum += here;
        }
        let shift = p as u32 * bits;
        for &(k, i) in order.iter() {
            let d = ((k >> shift) & mask) as usize;
            tmp[c[d] as usize] = (k, i);
            c[d] += 1;
        }
        std::mem::swap(order, tmp);
    }
    let mut prev = u64::MAX;
    let mut prev_rank = 0u32;
    for (pos, &(k, i)) in order.iter().enumerate() {
        let r = if pos > 0 && k == prev {
            prev_rank
        } else {
            pos as u32 + 1
        };
        rank[i as usize] = r;
        prev = k;
        prev_rank = r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_descending_with_shared_ties() {
        let keys = [0.5, 1.0, 0.25, 0.5, 0.0, 1.0];
        let mut rank = [0u32; 6];
        rank_desc(6, |i| keys[i], &mut rank, &mut RankScratch::default());
        assert_eq!(rank, [3, 1, 5, 3, 6, 1]);
        let one = [0.7];
        let mut r = [0u32];
        rank_desc(1, |i| one[i], &mut r, &mut RankScratch::default());
        assert_eq!(r, [1]);
    }

    /// Against the definition (1 + the number of strictly larger keys), for both digit
    /// widths, with many ties, zeros and ones, and a reused scratch.
    #[test]
    fn ranks_equal_the_definition_for_both_digit_widths() {
        let mut g = crate::synthetic::SplitMix64::new(5);
        let mut scratch = RankScratch::default();
        for m in [0, 2, 7, 300, 2043, 20_000] {
            let keys: Vec<f64> = (0..m)
                .map(|_| match g.below(4) {
                    0 => 0.0,
                    1 => 1.0,
                    2 => g.below(10) as f64 / 9.0,
                    _ => g.next_f64(),
                })
                .collect();
            let mut rank = vec![0u32; m];
            rank_desc(m, |i| keys[i], &mut rank, &mut scratch);
            let mut sorted = keys.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            for i in 0..m {
                let larger = sorted.partition_point(|&x| x > keys[i]);
                assert_eq!(rank[i] as usize, larger + 1, "m {m}, key {}", keys[i]);
            }
        }
    }
}
