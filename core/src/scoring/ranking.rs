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
    order: Vec<u32>,
    tmp: Vec<u32>,
    counts: Vec<u32>,
}

impl PartialEq for RankScratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Ranks by descending key: 1 for the largest; equal keys share the smallest rank.
/// Keys must be finite and non-negative (their bit patterns then sort like their values);
/// an LSD radix sort on the bits (no comparisons). Allocation-free once `scratch` has grown.
pub(crate) fn rank_desc(m: usize, key_of: impl Fn(usize) -> f64, rank: &mut [u32], scratch: &mut RankScratch) {
    // Digit width: 16 bits for large inputs; 8 for small ones, where clearing 65,536
    // counters per pass would cost more than the sort (robustness analysis ranks a few
    // thousand institutions per run, thousands of times).
    let bits: u32 = if m > 1 << 14 { 16 } else { 8 };
    let mask: u64 = (1 << bits) - 1;
    let RankScratch { order, tmp, counts } = scratch;
    order.clear();
    order.extend(0..m as u32);
    tmp.resize(m, 0);
    counts.resize(1 << bits, 0);
    // Descending: sort ascending on the complement of the bits.
    let key = |i: u32| !key_of(i as usize).to_bits();
    let mut shift = 0;
    while shift < 64 {
        let counts = &mut counts[..1 << bits];
        counts.iter_mut().for_each(|c| *c = 0);
        for &i in order.iter() {
            counts[((key(i) >> shift) & mask) as usize] += 1;
        }
        // Skip passes where every key has the same digit.
        if counts.iter().any(|&c| c as usize == m) {
            shift += bits;
            continue;
        }
        let mut sum = 0u32;
        for c in counts.iter_mut() {
            let here = *c;
            *c = sum;
            sum += here;
        }
        for &i in order.iter() {
            let d = ((key(i) >> shift) & mask) as usize;
            tmp[counts[d] as usize] = i;
            counts[d] += 1;
        }
        std::mem::swap(order, tmp);
        shift += bits;
    }
    let mut prev = f64::NAN;
    let mut prev_rank = 0u32;
    for (pos, &i) in order.iter().enumerate() {
        let v = key_of(i as usize);
        let r = if v == prev { prev_rank } else { pos as u32 + 1 };
        rank[i as usize] = r;
        prev = v;
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
}
