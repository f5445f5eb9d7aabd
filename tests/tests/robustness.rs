//! Robustness analysis: runs are the scoring engine's own arithmetic, zero noise is the
//! nominal run, designs are reproducible, bad factors are typed errors.

use apertura::robustness::{
    sensitivity, uncertainty, Evidence, FactorSpec, GeometricZeros, Sampler, SensitivityOptions, Target,
    UncertaintyOptions, WeightSet,
};
use apertura::{io, synthetic, Dataset, Edition, Error, Options, Plan};
use apertura_conformance::{published, BSO};

fn plan2017() -> (Edition, Plan) {
    let e = Edition::load("mga-2017").unwrap();
    let p = Plan::new(&e, &Options::default()).unwrap();
    (e, p)
}

fn ua(
    plan: &Plan,
    data: &Dataset,
    spec: &FactorSpec,
    opts: &UncertaintyOptions,
) -> apertura::Result<apertura::robustness::Uncertainty> {
    uncertainty(plan, data, &Evidence::default(), spec, opts, None, &mut |_, _| true)
}

fn noise(p: f64) -> FactorSpec {
    FactorSpec {
        weight_noise: Some(p),
        ..Default::default()
    }
}

fn code(e: Error) -> (String, Option<String>) {
    match &e {
        Error::Robustness(r) => (r.code().to_string(), r.factor.clone()),
        other => (other.code().to_string(), None),
    }
}

#[test]
fn every_run_equals_plan_score_with_that_runs_weights_bit_for_bit() {
    let (e, plan) = plan2017();
    let data = synthetic::item_level(&e, 120, 7);
    let opts = UncertaintyOptions {
        n: 40,
        keep_outputs: true,
        ..Default::default()
    };
    let r = ua(&plan, &data, &noise(0.3), &opts).unwrap();
    assert_eq!(r.evaluation, "columns");
    // Every weight slot is a factor; its resolved value is the run's weight.
    let slots = plan.weight_slots();
    assert_eq!(r.factors.len(), slots.len());
    let out = r.outputs.as_ref().unwrap();
    let m = data.len();
    for (k, run) in r.runs.iter().enumerate() {
        let mut p = plan.clone();
        p.set_weights(&run.values).unwrap();
        let scores = p.score(&data).unwrap();
        for i in 0..m {
            let want = scores.get(i, "iga").unwrap();
            assert_eq!(
                out.scores[k * m + i].to_bits(),
                want.to_bits(),
                "run {k}, institution {i}"
            );
            assert_eq!(out.ranks[k * m + i], scores.rank[i], "run {k}, institution {i}");
        }
    }
    // The nominal values are plan.score's.
    let nominal = plan.score(&data).unwrap();
    for (i, x) in r.institutions.iter().enumerate() {
        assert_eq!(x.score.to_bits(), nominal.get(i, "iga").unwrap().to_bits());
        assert_eq!(x.rank, nominal.rank[i]);
    }
}

#[test]
fn the_row_path_gives_the_same_runs_as_plan_score() {
    // A not-applicable cell sends the data to the row path.
    let (e, plan) = plan2017();
    let csv = "id,tg,tc,pg,pc\na,0.4,0.6,NA,0.2\nb,0.9,0.1,0.5,0.5\nc,0.3,0.3,0.7,0.1\n";
    let data = io::read_csv(csv.as_bytes(), &e, "na.csv").unwrap();
    let opts = UncertaintyOptions {
        n: 16,
        keep_outputs: true,
        ..Default::default()
    };
    let r = ua(&plan, &data, &noise(0.4), &opts).unwrap();
    assert_eq!(r.evaluation, "rows");
    let out = r.outputs.as_ref().unwrap();
    let slots = plan.weight_slots();
    for (k, run) in r.runs.iter().enumerate() {
        // The run's weights: the plan's, with each factor's slot set to its value.
        let mut w = plan.weights().to_vec();
        for (f, &v) in r.factors.iter().zip(&run.values) {
            let apertura::robustness::FactorKind::WeightNoise { parent, child, .. } = &f.kind else {
                panic!()
            };
            let s = slots
                .iter()
                .position(|x| &x.parent == parent && &x.child == child)
                .unwrap();
            w[s] = v;
        }
        let mut p = plan.clone();
        p.set_weights(&w).unwrap();
        let s = p.score(&data).unwrap();
        for i in 0..3 {
            assert_eq!(out.scores[k * 3 + i].to_bits(), s.get(i, "iga").unwrap().to_bits());
        }
    }
}

#[test]
fn zero_noise_gives_intervals_equal_to_nominal_on_the_published_file() {
    let (e, plan) = plan2017();
    let data = io::read_csv(&published(BSO), &e, BSO).unwrap();
    let r = ua(
        &plan,
        &data,
        &noise(0.0),
        &UncertaintyOptions {
            n: 64,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.institutions.len(), 908);
    for x in &r.institutions {
        for v in [x.score_median, x.score_mean, x.score_q05, x.score_q95] {
            assert_eq!(v.to_bits(), x.score.to_bits(), "{}", x.id);
        }
        for v in [x.rank_median, x.rank_mean, x.rank_q05, x.rank_q95] {
            assert_eq!(v, x.rank as f64, "{}", x.id);
        }
    }
    assert_eq!(r.rank_shift.max, 0.0);
    // The recomputed national mean is the published one (0.39 at 2 decimals).
    assert_eq!(io::round_half_up(r.national, 2), "0.39");
    assert!(r.policies.iter().any(|p| p.contains("recomputed")), "{:?}", r.policies);
}

#[test]
fn noise_on_one_parent_leaves_institutions_with_equal_children_there_unchanged() {
    let (e, plan) = plan2017();
    let data = io::read_csv(&published(BSO), &e, BSO).unwrap();
    let spec = FactorSpec {
        weight_noise: Some(0.25),
        weight_parents: Some(vec!["t".into()]),
        ..Default::default()
    };
    let r = ua(
        &plan,
        &data,
        &spec,
        &UncertaintyOptions {
            n: 128,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        r.factors.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["w:tg", "w:tc"]
    );
    let scores = plan.score(&data).unwrap();
    let (mut equal, mut moved) = (0, 0);
    for (i, x) in r.institutions.iter().enumerate() {
        let (tg, tc) = (scores.get(i, "tg").unwrap(), scores.get(i, "tc").unwrap());
        if tg == tc {
            equal += 1;
            for v in [x.score_q05, x.score_q95, x.score_median] {
                assert!((v - x.score).abs() <= 1e-15, "{}: {v} vs {}", x.id, x.score);
            }
        } else if x.score_q95 - x.score_q05 > 1e-6 {
            moved += 1;
        }
    }
    assert!(equal > 10 && moved > 100, "equal {equal}, moved {moved}");
}

#[test]
fn a_published_run_is_reproducible_from_its_exported_design() {
    let (e, plan) = plan2017();
    let data = io::read_csv(&published(BSO), &e, BSO).unwrap();
    for sampler in [Sampler::Sobol, Sampler::Random] {
        let opts = UncertaintyOptions {
            n: 200,
            seed: 42,
            sampler,
            ..Default::default()
        };
        let first = ua(&plan, &data, &noise(0.25), &opts).unwrap();
        let csv = first.design.to_csv();
        let again = uncertainty(
            &plan,
            &data,
            &Evidence::default(),
            &noise(0.25),
            &opts,
            Some(&csv),
            &mut |_, _| true,
        )
        .unwrap();
        assert_eq!(first, again);
        // The rank intervals are real: the 2017 ranks move under +-25 % weights.
        let wide = first
            .institutions
            .iter()
            .filter(|x| x.rank_q95 - x.rank_q05 >= 10.0)
            .count();
        assert!(wide > 300, "{wide}");
    }
}

#[test]
fn threads_do_not_change_any_bit() {
    let (e, plan) = plan2017();
    let data = synthetic::item_level(&e, 300, 3);
    let one = UncertaintyOptions {
        n: 100,
        threads: Some(1),
        ..Default::default()
    };
    let two = UncertaintyOptions {
        threads: Some(2),
        ..one.clone()
    };
    assert_eq!(
        ua(&plan, &data, &noise(0.25), &one).unwrap(),
        ua(&plan, &data, &noise(0.25), &two).unwrap()
    );
    let sa = |t| SensitivityOptions {
        n: 32,
        bootstrap: 10,
        threads: Some(t),
        ..Default::default()
    };
    let a = sensitivity(
        &plan,
        &data,
        &Evidence::default(),
        &noise(0.25),
        &sa(1),
        None,
        &mut |_, _| true,
    )
    .unwrap();
    let b = sensitivity(
        &plan,
        &data,
        &Evidence::default(),
        &noise(0.25),
        &sa(2),
        None,
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(a, b);
}

#[test]
fn row_order_does_not_change_any_institutions_intervals() {
    let (e, plan) = plan2017();
    let data = synthetic::item_level(&e, 60, 11);
    let mut rev = data.clone();
    rev.institutions.reverse();
    for c in &mut rev.columns {
        c.cells.reverse();
    }
    let opts = UncertaintyOptions {
        n: 64,
        ..Default::default()
    };
    let a = ua(&plan, &data, &noise(0.25), &opts).unwrap();
    let b = ua(&plan, &rev, &noise(0.25), &opts).unwrap();
    for x in &a.institutions {
        let y = b.institutions.iter().find(|y| y.id == x.id).unwrap();
        assert_eq!(x, y);
    }
}

#[test]
fn progress_is_reported_and_can_stop_a_run() {
    let (e, plan) = plan2017();
    let data = synthetic::item_level(&e, 50, 1);
    let mut calls = Vec::new();
    let opts = UncertaintyOptions {
        n: 3000,
        ..Default::default()
    };
    uncertainty(
        &plan,
        &data,
        &Evidence::default(),
        &noise(0.1),
        &opts,
        None,
        &mut |d, t| {
            calls.push((d, t));
            true
        },
    )
    .unwrap();
    assert!(calls.len() > 10 && calls.last() == Some(&(3000, 3000)), "{calls:?}");
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
    let err = uncertainty(
        &plan,
        &data,
        &Evidence::default(),
        &noise(0.1),
        &opts,
        None,
        &mut |d, _| d < 500,
    )
    .unwrap_err();
    assert_eq!(code(err).0, "cancelled");
}

#[test]
fn bad_factors_and_designs_are_typed_errors_naming_the_factor() {
    let (e, plan) = plan2017();
    let data = io::read_csv(&published(BSO), &e, BSO).unwrap();
    let opts = UncertaintyOptions {
        n: 8,
        ..Default::default()
    };
    let cases: Vec<(FactorSpec, &str, &str)> = vec![
        (noise(1.0), "invalid_factor", "w:*"),
        (noise(-0.1), "invalid_factor", "w:*"),
        (
            FactorSpec {
                weight_noise: Some(0.2),
                weight_parents: Some(vec!["nope".into()]),
                ..Default::default()
            },
            "invalid_factor",
            "w:nope",
        ),
        (
            // The published file gives TG: its items' weights cannot move anything.
            FactorSpec {
                weight_noise: Some(0.2),
                weight_parents: Some(vec!["tg".into()]),
                ..Default::default()
            },
            "invalid_factor",
            "w:tg",
        ),
        (
            FactorSpec {
                vary_aggregation: [("p".to_string(), vec!["arithmetic".to_string()])].into(),
                ..Default::default()
            },
            "invalid_factor",
            "agg:p",
        ),
        (
            FactorSpec {
                vary_aggregation: [("p".to_string(), vec!["arithmetic".into(), "harmonic".into()])].into(),
                ..Default::default()
            },
            "invalid_factor",
            "agg:p",
        ),
        (
            FactorSpec {
                vary_aggregation: [("tg.ai".to_string(), vec!["arithmetic".into(), "geometric".into()])].into(),
                ..Default::default()
            },
            "invalid_factor",
            "agg:tg.ai",
        ),
        (
            FactorSpec {
                vary: [(
                    "tc_celeridad".to_string(),
                    vec!["banded_fifths".into(), "linear_20_working_days".into()],
                )]
                .into(),
                ..Default::default()
            },
            "invalid_factor",
            "set:tc_celeridad",
        ),
        (
            FactorSpec {
                vary: [("quadrant_split".to_string(), vec!["0.4".into(), "0.5".into()])].into(),
                ..Default::default()
            },
            "invalid_factor",
            "set:quadrant_split",
        ),
        (
            FactorSpec {
                data_noise: Some(1.5),
                ..Default::default()
            },
            "invalid_factor",
            "x:*",
        ),
        (
            FactorSpec {
                data_noise: Some(0.1),
                data_nodes: Some(vec!["iga".into()]),
                ..Default::default()
            },
            "invalid_factor",
            "x:iga",
        ),
        (
            FactorSpec {
                weight_sets: vec![WeightSet::builtin("edition")],
                ..Default::default()
            },
            "invalid_factor",
            "weights",
        ),
        (
            FactorSpec {
                weight_sets: vec![
                    WeightSet::builtin("edition"),
                    WeightSet {
                        name: "bad".into(),
                        weights: [("t".to_string(), 0.9)].into(),
                    },
                ],
                ..Default::default()
            },
            "invalid_factor",
            "weights",
        ),
        (FactorSpec::default(), "invalid_option", ""),
    ];
    for (spec, want_code, want_factor) in cases {
        let (c, f) = code(ua(&plan, &data, &spec, &opts).unwrap_err());
        assert_eq!(c, want_code, "{spec:?}");
        if !want_factor.is_empty() {
            assert_eq!(f.as_deref(), Some(want_factor), "{spec:?}");
        }
    }
    // Designs: a missing column, an extra column, a value outside [0, 1), N not a power of two.
    let run = |design: &str| {
        uncertainty(
            &plan,
            &data,
            &Evidence::default(),
            &noise(0.2),
            &opts,
            Some(design),
            &mut |_, _| true,
        )
    };
    let header = "w:tg,w:tc,w:pg,w:pc,w:t,w:p";
    assert!(run(&format!("{header}\n0.1,0.2,0.3,0.4,0.5,0.6\n")).is_ok());
    let e1 = run("w:tg,w:tc,w:pg,w:pc,w:t\n0.1,0.2,0.3,0.4,0.5\n").unwrap_err();
    assert!(e1.to_string().contains("w:p"), "{e1}");
    let e2 = run(&format!("{header},extra\n0.1,0.2,0.3,0.4,0.5,0.6,0.7\n")).unwrap_err();
    assert!(e2.to_string().contains("extra"), "{e2}");
    match run(&format!(
        "{header}\n0.1,0.2,0.3,0.4,0.5,0.6\n0.1,0.2,0.3,-0.4,0.5,0.6\n"
    ))
    .unwrap_err()
    {
        Error::Robustness(r) => assert_eq!(
            (r.row, r.column.as_deref(), r.value.as_deref()),
            (Some(2), Some("w:pc"), Some("-0.4"))
        ),
        other => panic!("{other}"),
    }
    let sa = SensitivityOptions {
        n: 100,
        ..Default::default()
    };
    let e4 = sensitivity(
        &plan,
        &data,
        &Evidence::default(),
        &noise(0.2),
        &sa,
        None,
        &mut |_, _| true,
    )
    .unwrap_err();
    assert_eq!(code(e4).0, "invalid_design");
}

#[test]
fn a_geometric_mean_meeting_the_published_zeros_is_an_error_unless_a_policy_is_declared() {
    let (e, plan) = plan2017();
    let data = io::read_csv(&published(BSO), &e, BSO).unwrap();
    let mut spec = FactorSpec {
        weight_noise: Some(0.25),
        vary_aggregation: [("p".to_string(), vec!["arithmetic".into(), "geometric".into()])].into(),
        ..Default::default()
    };
    let opts = UncertaintyOptions {
        n: 64,
        ..Default::default()
    };
    let err = ua(&plan, &data, &spec, &opts).unwrap_err();
    let msg = err.to_string();
    assert_eq!(code(err).0, "geometric_zero");
    assert!(msg.contains("agg:p") && msg.contains("institution"), "{msg}");
    spec.geometric_zeros = GeometricZeros::Zero;
    let zero = ua(&plan, &data, &spec, &opts).unwrap();
    spec.geometric_zeros = GeometricZeros::Shift(1e-6);
    let shifted = ua(&plan, &data, &spec, &opts).unwrap();
    assert!(
        shifted.policies.iter().any(|p| p.contains("shift:0.000001")),
        "{:?}",
        shifted.policies
    );
    // Every score stays finite and in [0, 1]; the policies differ only where a zero is met.
    for (a, b) in zero.institutions.iter().zip(&shifted.institutions) {
        for v in [a.score_q05, a.score_q95, b.score_q05, b.score_q95] {
            assert!((0.0..=1.0).contains(&v));
        }
    }
    assert_ne!(zero.institutions, shifted.institutions);
}

#[test]
fn setting_alternatives_rescore_not_applicable_items() {
    let (e, plan) = plan2017();
    let csv = "id,tg,tc,pg,pc\na,0.4,0.6,NA,0.8\nb,0.9,0.1,0.5,0.5\nc,0.3,0.3,0.7,0.1\n";
    let data = io::read_csv(csv.as_bytes(), &e, "na.csv").unwrap();
    let spec = FactorSpec {
        vary: [("not_applicable".to_string(), vec!["zero".into(), "renormalize".into()])].into(),
        ..Default::default()
    };
    let r = ua(
        &plan,
        &data,
        &spec,
        &UncertaintyOptions {
            n: 32,
            ..Default::default()
        },
    )
    .unwrap();
    // a: PG not applicable is 0 (P = 0.4, IGA = 0.45) or dropped (P = 0.8, IGA = 0.65).
    let a = &r.institutions[0];
    assert!((a.score - 0.45).abs() < 1e-12);
    assert!(
        (a.score_q05 - 0.45).abs() < 1e-12 && (a.score_q95 - 0.65).abs() < 1e-12,
        "{a:?}"
    );
    let b = &r.institutions[1];
    assert_eq!(b.score_q05, b.score_q95);
}

#[test]
fn dirichlet_weights_are_centred_on_the_nominal_weights() {
    let (e, plan) = plan2017();
    let data = synthetic::item_level(&e, 20, 5);
    let spec = FactorSpec {
        weight_dirichlet: Some(200.0),
        weight_parents: Some(vec!["tg".into()]),
        ..Default::default()
    };
    let r = ua(
        &plan,
        &data,
        &spec,
        &UncertaintyOptions {
            n: 2000,
            sampler: Sampler::Random,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.factors.len(), 1);
    assert_eq!(r.factors[0].name, "dir:tg");
    // Run weights are not in the record (one factor per parent), so check their effect:
    // the mean score equals the nominal within sampling error, the spread is positive.
    for x in &r.institutions {
        assert!((x.score_mean - x.score).abs() < 0.01, "{x:?}");
    }
    assert!(r.institutions.iter().any(|x| x.score_q95 - x.score_q05 > 1e-3));
}

#[test]
fn sensitivity_of_the_published_file_apportions_the_rank_shift() {
    let (e, plan) = plan2017();
    let data = io::read_csv(&published(BSO), &e, BSO).unwrap();
    let opts = SensitivityOptions {
        n: 256,
        bootstrap: 50,
        targets: vec![Target::RankShift, Target::National, Target::Rank],
        ..Default::default()
    };
    let sa = sensitivity(
        &plan,
        &data,
        &Evidence::default(),
        &noise(0.25),
        &opts,
        None,
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(sa.design.runs(), 256 * 8);
    let rs: Vec<_> = sa.indices.iter().filter(|x| x.target == Target::RankShift).collect();
    assert_eq!(rs.len(), 6);
    for x in &rs {
        assert!(x.st >= 0.0 && x.s1_lo.unwrap() <= x.s1_hi.unwrap());
        assert!(x.s1.is_finite() && x.st.is_finite());
    }
    // Reproducible from the exported design.
    let again = sensitivity(
        &plan,
        &data,
        &Evidence::default(),
        &noise(0.25),
        &opts,
        Some(&sa.design.to_csv()),
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(sa, again);
    // Every institution's rank has indices or is listed as constant.
    let ranks = sa.indices.iter().filter(|x| x.target == Target::Rank).count() / 6
        + sa.constant.iter().filter(|c| c.target == Target::Rank).count();
    assert_eq!(ranks, 908);
}

#[test]
fn request_scorer_alternatives_rescore_the_requests_in_every_run() {
    use apertura::calendar::Date;
    use apertura::requests::InformationRequest;
    let (e, plan) = plan2017();
    // Two institutions given TG, PG, PC; TC comes from one request each: answered after
    // 4 working days (1 under the banded scorer, (20 - 4)/20 = 0.8 linear) and after 12.
    let csv = "id,tg,pg,pc\na,0.5,0.5,0.5\nb,0.5,0.5,0.5\n";
    let data = io::read_csv(csv.as_bytes(), &e, "r.csv").unwrap();
    let req = |inst: &str, answered: &str| InformationRequest {
        institution: inst.into(),
        answered: true,
        availability: Some(1.0),
        clarity: Some(1.0),
        completeness: Some(1.0),
        filed: Date::parse("2016-01-29").unwrap(),
        answered_on: Some(Date::parse(answered).unwrap()),
        extension: false,
    };
    let evidence = Evidence {
        requests: vec![req("a", "2016-02-05"), req("b", "2016-02-17")],
        proposals: Vec::new(),
    };
    let spec = FactorSpec {
        vary: [(
            "tc_celeridad".to_string(),
            vec!["banded_fifths".into(), "linear_20_working_days".into()],
        )]
        .into(),
        ..Default::default()
    };
    let opts = UncertaintyOptions {
        n: 64,
        ..Default::default()
    };
    let r = uncertainty(&plan, &data, &evidence, &spec, &opts, None, &mut |_, _| true).unwrap();
    // a: TC = (1 + 1 + 1 + c)/4 with c = 1 or 0.8: IGA = (0.5 + TC + 0.5 + 0.5)/4.
    let a = &r.institutions[0];
    let iga = |c: f64| (0.5 + (3.0 + c) / 4.0 + 1.0) / 4.0;
    assert!((a.score - iga(1.0)).abs() < 1e-12, "{a:?}");
    assert!(
        (a.score_q05 - iga(0.8)).abs() < 1e-12 && (a.score_q95 - iga(1.0)).abs() < 1e-12,
        "{a:?}"
    );
    // Without requests the factor cannot change anything: an error, not a skipped step.
    let err = ua(&plan, &data, &spec, &opts).unwrap_err();
    assert_eq!(code(err), ("invalid_factor".into(), Some("set:tc_celeridad".into())));
}

#[test]
fn the_smallest_sensitivity_designs_return() {
    // N = 2 and 4 with a bootstrap: the convergence table has only steps of 4 to N rows.
    let (e, plan) = plan2017();
    let data = synthetic::item_level(&e, 10, 2);
    for n in [2, 4] {
        let opts = SensitivityOptions {
            n,
            bootstrap: 5,
            ..Default::default()
        };
        let sa = sensitivity(
            &plan,
            &data,
            &Evidence::default(),
            &noise(0.2),
            &opts,
            None,
            &mut |_, _| true,
        )
        .unwrap();
        assert_eq!(sa.design.n, n);
        assert!(
            sa.convergence.iter().all(|c| c.n >= 4 && c.n <= n),
            "{:?}",
            sa.convergence
        );
        assert_eq!(sa.convergence.is_empty(), n < 4);
    }
}

#[test]
fn sensitivity_reports_progress_through_the_estimation_and_can_stop_there() {
    let (e, plan) = plan2017();
    let data = synthetic::item_level(&e, 200, 4);
    let opts = SensitivityOptions {
        n: 32,
        bootstrap: 20,
        ..Default::default()
    };
    let spec = FactorSpec {
        weight_noise: Some(0.2),
        weight_parents: Some(vec!["iga".into(), "t".into(), "p".into()]),
        ..Default::default()
    };
    let runs = 32 * (6 + 2);
    let targets = 2 + 2 * 200;
    let mut last = (0, 0);
    sensitivity(&plan, &data, &Evidence::default(), &spec, &opts, None, &mut |d, t| {
        assert!(d >= last.0 && t == runs + targets, "{d} {t}");
        last = (d, t);
        true
    })
    .unwrap();
    assert_eq!(last, (runs + targets, runs + targets));
    // Stopped while estimating: every run done, some targets not.
    let err = sensitivity(&plan, &data, &Evidence::default(), &spec, &opts, None, &mut |d, _| {
        d <= runs
    })
    .unwrap_err();
    assert_eq!(code(err.clone()).0, "cancelled");
    assert!(err.to_string().contains("while estimating"), "{err}");
}
