//! Speed ("celeridad") of an answer to a simulated information request.
//!
//! The LGTAIP (art. 132) gives an institution 20 working days, counted from the
//! day after filing, to answer a request, extendable by 10 more working days
//! when it notifies an extension ("prórroga"). The exact delay-to-score map the
//! MGA used is not published, so [`CeleridadScorer`] is data: two provisional
//! variants ship, [`CeleridadScorer::linear_20_working_days`] and
//! [`CeleridadScorer::banded_fifths`], and editions may configure others.
//! Delays are counted with [`crate::edition::calendar::Calendar::working_days_between`].

/// Maps an answer's delay in working days to a speed score in [0, 1].
///
/// Serialised with a `kind` tag (`"linear"` or `"banded"`); unknown fields are
/// rejected. For valid parameters (see [`CeleridadScorer::problems`]) the score
/// never rises with more days and never falls when the extension was used.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CeleridadScorer {
    /// For `d` working days: `(deadline - d) / deadline` while `d <= deadline`;
    /// 0 within the extension window (`deadline < d <= deadline + extension`,
    /// only when the extension was used: answered in time but with no speed
    /// credit); `late_score` beyond the legal limit.
    Linear {
        /// Base legal deadline in working days (20 under LGTAIP art. 132).
        deadline_working_days: u32,
        /// Working days added by an extension (10 under LGTAIP art. 132).
        extension_working_days: u32,
        /// Score of an answer after the legal limit (default 0).
        #[serde(default)]
        late_score: f64,
    },
    /// For `d` working days: the `score` of the band with the smallest
    /// `up_to_working_days >= d` among the applicable bands (on a tie, the
    /// higher score); `late_score` when no band covers `d`. Bands with
    /// `extension_only = true` apply only when the extension was used.
    Banded {
        /// The bands; see [`Band`].
        bands: Vec<Band>,
        /// Score of an answer no band covers (default 0).
        #[serde(default)]
        late_score: f64,
    },
}

/// One step of a [`CeleridadScorer::Banded`] scorer.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Inclusive upper limit of the delay, in working days, this band covers.
    pub up_to_working_days: u32,
    /// Score, in [0, 1], of an answer that falls in this band.
    pub score: f64,
    /// Whether the band applies only when an extension ("prórroga") was used.
    #[serde(default)]
    pub extension_only: bool,
}

/// Maps a raw score into [0, 1]; NaN becomes 0. Only matters for invalid parameters.
fn sanitize(score: f64) -> f64 {
    if score.is_nan() {
        0.0
    } else {
        score.clamp(0.0, 1.0)
    }
}

/// Whether `x` is a finite number in [0, 1].
fn is_unit(x: f64) -> bool {
    x.is_finite() && (0.0..=1.0).contains(&x)
}

impl CeleridadScorer {
    /// The variant the issue calls `linear_20_working_days`: a 20 working-day
    /// deadline, a 10 working-day extension and a late score of 0 (provisional).
    pub fn linear_20_working_days() -> Self {
        CeleridadScorer::Linear {
            deadline_working_days: 20,
            extension_working_days: 10,
            late_score: 0.0,
        }
    }

    /// The provisional banded variant, in fifths: up to 5 working days scores 1.0,
    /// up to 10 scores 0.8, up to 15 scores 0.6, up to 20 scores 0.4, up to 30
    /// with an extension scores 0.2, and anything later scores 0.0.
    pub fn banded_fifths() -> Self {
        let band = |up_to_working_days, score, extension_only| Band {
            up_to_working_days,
            score,
            extension_only,
        };
        CeleridadScorer::Banded {
            bands: vec![
                band(5, 1.0, false),
                band(10, 0.8, false),
                band(15, 0.6, false),
                band(20, 0.4, false),
                band(30, 0.2, true),
            ],
            late_score: 0.0,
        }
    }

    /// Checks the parameters and returns human-readable problems (empty when valid).
    ///
    /// Linear: the deadline is positive; `late_score` is finite, in [0, 1] and
    /// not above 0, the score of an answer on the deadline (otherwise a late
    /// answer would outscore a timely one). Banded: there is at least one band;
    /// every score and `late_score` is finite and in [0, 1];
    /// `up_to_working_days` strictly increases, in list order, among bands of
    /// the same `extension_only` class; a band never scores less than a band
    /// with fewer days; `late_score` is at most every band score.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        match self {
            CeleridadScorer::Linear {
                deadline_working_days,
                late_score,
                ..
            } => {
                if *deadline_working_days == 0 {
                    problems.push("deadline_working_days must be greater than 0".to_string());
                }
                if !is_unit(*late_score) {
                    problems.push(format!("late_score {late_score} must be a finite number in [0, 1]"));
                } else if *late_score > 0.0 {
                    problems.push(format!(
                        "late_score {late_score} exceeds 0, the score of an answer on the \
                         deadline, so a late answer would outscore a timely one"
                    ));
                }
            }
            CeleridadScorer::Banded { bands, late_score } => {
                if bands.is_empty() {
                    problems.push("bands must not be empty".to_string());
                }
                if !is_unit(*late_score) {
                    problems.push(format!("late_score {late_score} must be a finite number in [0, 1]"));
                }
                for (i, band) in bands.iter().enumerate() {
                    if !is_unit(band.score) {
                        problems.push(format!(
                            "band {i}: score {} must be a finite number in [0, 1]",
                            band.score
                        ));
                    }
                    if is_unit(*late_score) && band.score < *late_score {
                        problems.push(format!(
                            "band {i}: score {} is below late_score {late_score}, so a late \
                             answer would outscore a timely one",
                            band.score
                        ));
                    }
                }
                for extension_only in [false, true] {
                    let class: Vec<(usize, &Band)> = bands
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| b.extension_only == extension_only)
                        .collect();
                    for pair in class.windows(2) {
                        let (i, a) = pair[0];
                        let (j, b) = pair[1];
                        if b.up_to_working_days <= a.up_to_working_days {
                            problems.push(format!(
                                "band {j}: up_to_working_days {} must exceed {} of band {i} \
                                 (bands with extension_only = {extension_only} must be listed \
                                 in strictly increasing order)",
                                b.up_to_working_days, a.up_to_working_days
                            ));
                        }
                    }
                }
                for (i, a) in bands.iter().enumerate() {
                    for (j, b) in bands.iter().enumerate() {
                        if a.up_to_working_days < b.up_to_working_days && a.score < b.score {
                            problems.push(format!(
                                "band {j} (up to {} working days) scores {} but band {i} \
                                 (up to {} working days) scores only {}: a faster answer \
                                 must never score lower",
                                b.up_to_working_days, b.score, a.up_to_working_days, a.score
                            ));
                        }
                    }
                }
            }
        }
        problems
    }

    /// Score in [0, 1] of an answer given `working_days` working days after
    /// filing; `extension_used` means an extension ("prórroga") was notified.
    ///
    /// Never panics; with invalid parameters (see [`CeleridadScorer::problems`])
    /// the result is still clamped to [0, 1], NaN mapping to 0.
    pub fn score(&self, working_days: u32, extension_used: bool) -> f64 {
        match self {
            CeleridadScorer::Linear {
                deadline_working_days,
                extension_working_days,
                late_score,
            } => {
                let deadline = *deadline_working_days;
                if working_days <= deadline {
                    if deadline == 0 {
                        1.0
                    } else {
                        f64::from(deadline - working_days) / f64::from(deadline)
                    }
                } else if extension_used
                    && u64::from(working_days) <= u64::from(deadline) + u64::from(*extension_working_days)
                {
                    0.0
                } else {
                    sanitize(*late_score)
                }
            }
            CeleridadScorer::Banded { bands, late_score } => {
                let best = bands
                    .iter()
                    .filter(|b| extension_used || !b.extension_only)
                    .filter(|b| b.up_to_working_days >= working_days)
                    .fold(None::<&Band>, |best, b| match best {
                        Some(cur)
                            if cur.up_to_working_days < b.up_to_working_days
                                || (cur.up_to_working_days == b.up_to_working_days && cur.score >= b.score) =>
                        {
                            Some(cur)
                        }
                        _ => Some(b),
                    });
                sanitize(best.map_or(*late_score, |b| b.score))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn band(up_to_working_days: u32, score: f64, extension_only: bool) -> Band {
        Band {
            up_to_working_days,
            score,
            extension_only,
        }
    }

    fn banded(bands: Vec<Band>, late_score: f64) -> CeleridadScorer {
        CeleridadScorer::Banded { bands, late_score }
    }

    fn linear(deadline: u32, extension: u32, late_score: f64) -> CeleridadScorer {
        CeleridadScorer::Linear {
            deadline_working_days: deadline,
            extension_working_days: extension,
            late_score,
        }
    }

    #[test]
    fn shipped_variants_are_valid() {
        assert!(CeleridadScorer::linear_20_working_days().problems().is_empty());
        assert!(CeleridadScorer::banded_fifths().problems().is_empty());
        assert_eq!(CeleridadScorer::linear_20_working_days(), linear(20, 10, 0.0));
    }

    #[test]
    fn linear_boundaries() {
        let s = CeleridadScorer::linear_20_working_days();
        for ext in [false, true] {
            assert_relative_eq!(s.score(0, ext), 1.0);
            assert_relative_eq!(s.score(5, ext), 0.75);
            assert_relative_eq!(s.score(6, ext), 0.7);
            assert_relative_eq!(s.score(13, ext), 0.35);
            assert_relative_eq!(s.score(20, ext), 0.0);
            assert_relative_eq!(s.score(21, ext), 0.0);
            assert_relative_eq!(s.score(30, ext), 0.0);
            assert_relative_eq!(s.score(31, ext), 0.0);
            assert_relative_eq!(s.score(u32::MAX, ext), 0.0);
        }
        assert_relative_eq!(linear(10, 5, 0.0).score(4, false), 0.6);
    }

    #[test]
    fn linear_late_branch_and_extension_window() {
        // Invalid on purpose (late_score > 0) to tell the branches apart.
        let s = linear(20, 10, 0.5);
        assert_eq!(s.problems().len(), 1);
        assert_relative_eq!(s.score(20, false), 0.0);
        assert_relative_eq!(s.score(21, false), 0.5);
        assert_relative_eq!(s.score(21, true), 0.0);
        assert_relative_eq!(s.score(30, true), 0.0);
        assert_relative_eq!(s.score(31, true), 0.5);
        assert_relative_eq!(s.score(30, false), 0.5);
        // Huge parameters do not overflow.
        let big = linear(u32::MAX, u32::MAX, 0.0);
        assert_relative_eq!(big.score(u32::MAX, true), 0.0);
        assert_relative_eq!(big.score(0, false), 1.0);
    }

    #[test]
    fn banded_fifths_boundaries() {
        let s = CeleridadScorer::banded_fifths();
        for ext in [false, true] {
            assert_relative_eq!(s.score(0, ext), 1.0);
            assert_relative_eq!(s.score(5, ext), 1.0);
            assert_relative_eq!(s.score(6, ext), 0.8);
            assert_relative_eq!(s.score(10, ext), 0.8);
            assert_relative_eq!(s.score(11, ext), 0.6);
            assert_relative_eq!(s.score(13, ext), 0.6);
            assert_relative_eq!(s.score(15, ext), 0.6);
            assert_relative_eq!(s.score(16, ext), 0.4);
            assert_relative_eq!(s.score(20, ext), 0.4);
            assert_relative_eq!(s.score(31, ext), 0.0);
            assert_relative_eq!(s.score(u32::MAX, ext), 0.0);
        }
        assert_relative_eq!(s.score(21, false), 0.0);
        assert_relative_eq!(s.score(21, true), 0.2);
        assert_relative_eq!(s.score(30, false), 0.0);
        assert_relative_eq!(s.score(30, true), 0.2);
    }

    #[test]
    fn banded_late_score_and_ties() {
        let s = banded(vec![band(10, 0.8, false)], 0.3);
        assert!(s.problems().is_empty());
        assert_relative_eq!(s.score(10, false), 0.8);
        assert_relative_eq!(s.score(11, false), 0.3);
        // On a tie across classes the higher score wins, so the extension
        // never lowers the score.
        let tie = banded(vec![band(10, 0.8, false), band(10, 0.5, true)], 0.0);
        assert!(tie.problems().is_empty());
        assert_relative_eq!(tie.score(7, true), 0.8);
        assert_relative_eq!(tie.score(7, false), 0.8);
        // Bands listed out of order across classes are considered by days.
        let mixed = banded(vec![band(20, 0.5, false), band(8, 0.9, true), band(30, 0.1, true)], 0.0);
        assert!(mixed.problems().is_empty(), "{:?}", mixed.problems());
        assert_relative_eq!(mixed.score(8, true), 0.9);
        assert_relative_eq!(mixed.score(8, false), 0.5);
        assert_relative_eq!(mixed.score(9, true), 0.5);
        assert_relative_eq!(mixed.score(25, true), 0.1);
        assert_relative_eq!(mixed.score(25, false), 0.0);
    }

    #[test]
    fn problems_linear() {
        let zero = linear(0, 10, 0.0);
        let p = zero.problems();
        assert_eq!(p.len(), 1);
        assert!(p[0].contains("deadline_working_days"), "{p:?}");
        // Score still does not panic or divide by zero.
        assert_relative_eq!(zero.score(0, false), 1.0);
        assert_relative_eq!(zero.score(1, false), 0.0);
        for bad in [f64::NAN, f64::INFINITY, -0.1, 1.5] {
            let p = linear(20, 10, bad).problems();
            assert_eq!(p.len(), 1, "{bad}: {p:?}");
            assert!(p[0].contains("late_score"), "{p:?}");
            let s = linear(20, 10, bad).score(31, false);
            assert!((0.0..=1.0).contains(&s));
        }
        assert!(linear(20, 0, 0.0).problems().is_empty());
    }

    #[test]
    fn problems_banded_each_parameter() {
        let one = |s: CeleridadScorer, needle: &str| {
            let p = s.problems();
            assert_eq!(p.len(), 1, "{p:?}");
            assert!(p[0].contains(needle), "{needle:?} not in {p:?}");
        };
        one(banded(vec![], 0.0), "bands must not be empty");
        one(banded(vec![band(5, f64::NAN, false)], 0.0), "band 0: score");
        one(banded(vec![band(5, 1.2, false)], 0.0), "band 0: score");
        // A negative band score is out of range and also below late_score 0.
        let p = banded(vec![band(5, 1.0, false), band(10, -0.5, false)], 0.0).problems();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("band 1: score -0.5 must be a finite number"), "{p:?}");
        assert!(p[1].contains("below late_score"), "{p:?}");
        one(banded(vec![band(5, 1.0, false)], -1.0), "late_score -1");
        one(banded(vec![band(5, 1.0, false)], f64::INFINITY), "late_score inf");
        // Same class, not strictly increasing (equal, then decreasing).
        one(
            banded(vec![band(5, 1.0, false), band(5, 1.0, false)], 0.0),
            "strictly increasing",
        );
        one(
            banded(vec![band(10, 0.5, true), band(5, 0.5, true)], 0.0),
            "strictly increasing",
        );
        // Different classes may share a limit.
        assert!(banded(vec![band(5, 1.0, false), band(5, 1.0, true)], 0.0)
            .problems()
            .is_empty());
        // A slower band scoring more, within and across classes.
        one(
            banded(vec![band(5, 0.5, false), band(10, 0.8, false)], 0.0),
            "a faster answer must never score lower",
        );
        one(
            banded(vec![band(20, 0.4, false), band(10, 0.2, true)], 0.0),
            "a faster answer must never score lower",
        );
        // late_score above a band.
        one(
            banded(vec![band(5, 1.0, false), band(10, 0.2, false)], 0.3),
            "below late_score",
        );
    }

    #[test]
    fn serde_round_trip_and_strictness() {
        for s in [
            CeleridadScorer::linear_20_working_days(),
            CeleridadScorer::banded_fifths(),
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<CeleridadScorer>(&json).unwrap(), s);
            #[cfg(feature = "toml")]
            {
                let toml_text = toml::to_string(&s).unwrap();
                assert_eq!(toml::from_str::<CeleridadScorer>(&toml_text).unwrap(), s);
            }
        }
        #[cfg(feature = "toml")]
        {
            let lin: CeleridadScorer =
                toml::from_str("kind = \"linear\"\ndeadline_working_days = 20\nextension_working_days = 10\n").unwrap();
            assert_eq!(lin, CeleridadScorer::linear_20_working_days());
            let bands: CeleridadScorer = toml::from_str(
                "kind = \"banded\"\n\
             [[bands]]\nup_to_working_days = 5\nscore = 1.0\n\
             [[bands]]\nup_to_working_days = 10\nscore = 0.8\n\
             [[bands]]\nup_to_working_days = 15\nscore = 0.6\n\
             [[bands]]\nup_to_working_days = 20\nscore = 0.4\n\
             [[bands]]\nup_to_working_days = 30\nscore = 0.2\nextension_only = true\n",
            )
            .unwrap();
            assert_eq!(bands, CeleridadScorer::banded_fifths());
        }
        // Unknown fields, unknown kinds and missing fields are rejected.
        assert!(serde_json::from_str::<CeleridadScorer>(
            r#"{"kind":"linear","deadline_working_days":20,"extension_working_days":10,"typo":1}"#
        )
        .is_err());
        assert!(serde_json::from_str::<CeleridadScorer>(
            r#"{"kind":"banded","bands":[{"up_to_working_days":5,"score":1.0,"extra":true}]}"#
        )
        .is_err());
        assert!(serde_json::from_str::<CeleridadScorer>(r#"{"kind":"stepped","bands":[]}"#).is_err());
        assert!(serde_json::from_str::<CeleridadScorer>(r#"{"kind":"linear","deadline_working_days":20}"#).is_err());
    }

    fn shipped() -> impl Strategy<Value = CeleridadScorer> {
        prop_oneof![
            Just(CeleridadScorer::linear_20_working_days()),
            Just(CeleridadScorer::banded_fifths()),
        ]
    }

    /// Valid banded scorers: limits ascending, scores descending, classes mixed.
    fn valid_banded() -> impl Strategy<Value = CeleridadScorer> {
        (
            proptest::collection::vec((0u32..60, 0.0f64..=1.0, any::<bool>()), 1..8),
            0.0f64..=1.0,
        )
            .prop_map(|(raw, late_fraction)| {
                let mut days: Vec<u32> = raw.iter().map(|r| r.0).collect();
                let mut scores: Vec<f64> = raw.iter().map(|r| r.1).collect();
                days.sort_unstable();
                scores.sort_by(|a, b| b.total_cmp(a));
                let mut bands: Vec<Band> = days
                    .into_iter()
                    .zip(scores)
                    .zip(raw.iter().map(|r| r.2))
                    .map(|((d, s), e)| band(d, s, e))
                    .collect();
                // Equal limits across classes may score in any order; within a
                // class they must be strictly increasing, so drop duplicates.
                let mut seen = std::collections::HashSet::new();
                bands.retain(|b| seen.insert((b.up_to_working_days, b.extension_only)));
                // Equal limits across classes: scores are already non-increasing.
                let min = bands.iter().map(|b| b.score).fold(1.0, f64::min);
                banded(bands, min * late_fraction)
            })
    }

    fn arbitrary_scorer() -> impl Strategy<Value = CeleridadScorer> {
        let num = prop_oneof![
            -2.0f64..3.0,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY)
        ];
        prop_oneof![
            (any::<u32>(), any::<u32>(), num.clone()).prop_map(|(d, e, l)| linear(d, e, l)),
            (
                proptest::collection::vec((any::<u32>(), num.clone(), any::<bool>()), 0..6),
                num,
            )
                .prop_map(|(raw, late)| banded(raw.into_iter().map(|(d, s, e)| band(d, s, e)).collect(), late)),
        ]
    }

    proptest! {
        #[test]
        fn shipped_scores_are_monotone(s in shipped(), d in 0u32..100, ext in any::<bool>()) {
            let here = s.score(d, ext);
            prop_assert!((0.0..=1.0).contains(&here));
            prop_assert!(s.score(d + 1, ext) <= here);
            prop_assert!(s.score(d, true) >= s.score(d, false));
        }

        #[test]
        fn valid_banded_scores_are_monotone(
            s in valid_banded(),
            d in 0u32..70,
            ext in any::<bool>(),
        ) {
            prop_assert!(s.problems().is_empty(), "{:?}: {:?}", s, s.problems());
            let here = s.score(d, ext);
            prop_assert!((0.0..=1.0).contains(&here));
            prop_assert!(s.score(d + 1, ext) <= here);
            prop_assert!(s.score(d, true) >= s.score(d, false));
        }

        #[test]
        fn any_parameters_score_in_unit_interval(
            s in arbitrary_scorer(),
            d in any::<u32>(),
            ext in any::<bool>(),
        ) {
            let _ = s.problems();
            let x = s.score(d, ext);
            prop_assert!((0.0..=1.0).contains(&x), "{x}");
        }
    }
}
