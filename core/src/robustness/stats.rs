//! Small statistics shared by the uncertainty and sensitivity analyses, written to give the
//! same numbers as the references users check against: quantiles as `numpy.quantile`'s
//! default (linear interpolation, numpy's own lerp), population variance as `numpy.var`,
//! Spearman's rho as `scipy.stats.spearmanr` (average ranks for ties).

/// The `q`-quantile of `values` (any order; reordered in place), as `numpy.quantile(values,
/// q)` with its default `method="linear"`: virtual index `h = q (n - 1)`, interpolated
/// between the order statistics around it with numpy's `_lerp`. `values` must be non-empty
/// and free of NaN.
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    let n = values.len();
    debug_assert!(n > 0);
    let h = q * (n as f64 - 1.0);
    let lo = (h.floor() as usize).min(n - 1);
    let gamma = h - lo as f64;
    let (_, &mut a, upper) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let b = if lo + 1 < n {
        upper.iter().copied().fold(f64::INFINITY, f64::min)
    } else {
        a
    };
    lerp(a, b, gamma)
}

/// numpy's `_lerp(a, b, t)`: `a + (b - a) t`, computed from `b` when `t >= 0.5`.
pub(crate) fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// Several quantiles of the same values (each as [`quantile`]).
pub fn quantiles(values: &mut [f64], qs: &[f64]) -> Vec<f64> {
    qs.iter().map(|&q| quantile(values, q)).collect()
}

/// The mean, computed as `x_0 + sum(x_i - x_0) / n` so that equal values give exactly
/// that value (zero noise gives means equal to nominal); 0 for no values.
pub fn mean(values: &[f64]) -> f64 {
    let Some(&x0) = values.first() else { return 0.0 };
    x0 + values.iter().map(|x| x - x0).sum::<f64>() / values.len() as f64
}

/// Average ranks (1-based) from competition ranks: a tie group of `t` institutions that all
/// have competition rank `r` gets `r + (t - 1) / 2`. `counts` is scratch of any content.
pub(crate) fn average_ranks(rank: &[u32], counts: &mut Vec<u32>, out: &mut [f64]) {
    counts.clear();
    counts.resize(rank.len() + 2, 0);
    for &r in rank {
        counts[r as usize] += 1;
    }
    for (o, &r) in out.iter_mut().zip(rank) {
        *o = r as f64 + (counts[r as usize] as f64 - 1.0) / 2.0;
    }
}

/// Pearson's correlation of `a` (already centred, with `norm_a = sum a^2`) and `b`; `None`
/// when either has no variance.
pub(crate) fn correlation_centred(a: &[f64], norm_a: f64, b: &[f64]) -> Option<f64> {
    let n = b.len() as f64;
    let mb = b.iter().sum::<f64>() / n;
    let mut sab = 0.0;
    let mut sbb = 0.0;
    for (&x, &y) in a.iter().zip(b) {
        let d = y - mb;
        sab += x * d;
        sbb += d * d;
    }
    (norm_a > 0.0 && sbb > 0.0).then(|| (sab / (norm_a * sbb).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy_linear() {
        // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0, .05, .25, .5, .95, 1])
        // = [1.0, 1.0, 1.75, 3.5, 7.949999999999998, 9.0] (numpy 2.x, run by hand)
        let mut v = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let q = quantiles(&mut v, &[0.0, 0.05, 0.25, 0.5, 0.95, 1.0]);
        assert_eq!(q, vec![1.0, 1.0, 1.75, 3.5, 7.949999999999998, 9.0]);
        let mut one = [0.25];
        assert_eq!(quantile(&mut one, 0.05), 0.25);
    }

    #[test]
    fn average_ranks_share_ties() {
        let mut c = Vec::new();
        let mut out = [0.0; 5];
        average_ranks(&[1, 2, 2, 4, 5], &mut c, &mut out);
        assert_eq!(out, [1.0, 2.5, 2.5, 4.0, 5.0]);
    }
}
