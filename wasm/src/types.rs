//! TypeScript declarations of every input and output shape, appended to `apertura.d.ts`.
//!
//! The shapes are the serde shapes of the core types named in each comment; the Node tests
//! (`wasm/js/types.test.mjs`) check that the objects the functions return have exactly
//! the keys declared here, and type-check a usage file against this declaration with `tsc`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Input` (see the TypeScript section).
    #[wasm_bindgen(typescript_type = "Input")]
    pub type InputArg;
    /// `ScoreOptions`.
    #[wasm_bindgen(typescript_type = "ScoreOptions")]
    pub type ScoreOptionsArg;
    /// `SummaryOptions`.
    #[wasm_bindgen(typescript_type = "SummaryOptions")]
    pub type SummaryOptionsArg;
    /// `ExplainOptions`.
    #[wasm_bindgen(typescript_type = "ExplainOptions")]
    pub type ExplainOptionsArg;
    /// `FichaOptions`.
    #[wasm_bindgen(typescript_type = "FichaOptions")]
    pub type FichaOptionsArg;
    /// `CompareOptions`.
    #[wasm_bindgen(typescript_type = "CompareOptions")]
    pub type CompareOptionsArg;
    /// `GroupByName`.
    #[wasm_bindgen(typescript_type = "GroupByName")]
    pub type GroupByArg;
    /// `ColumnsInput`.
    #[wasm_bindgen(typescript_type = "ColumnsInput")]
    pub type ColumnsArg;
    /// `UncertaintyOptions`.
    #[wasm_bindgen(typescript_type = "UncertaintyOptions")]
    pub type UncertaintyOptionsArg;
    /// `SensitivityOptions`.
    #[wasm_bindgen(typescript_type = "SensitivityOptions")]
    pub type SensitivityOptionsArg;
    /// `ImproveOptions`.
    #[wasm_bindgen(typescript_type = "ImproveOptions")]
    pub type ImproveOptionsArg;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Input data: CSV or JSON text (wide or long, read as the CLI reads files, including the
 *  published 2017 file as is, or grouped: an instrument's own file such as GODI's entries,
 *  one row per place and dataset), the same as bytes, or an array of plain objects (wide rows
 *  `{id, name?, jurisdiction?, level?, type?, <node>: number | string | null}`, long rows
 *  `{institution, node, value}`, or grouped rows `{place, dataset, exists: "Yes", ...}`). */
export type Input = string | Uint8Array | Record<string, unknown>[];

/** Columnar input of `scoreColumns`: `Float64Array` (or any numeric typed array) columns are
 *  numbers; arrays are text columns (numbers allowed, `null`/`undefined`/`""` = not observed,
 *  `"NA"` = not applicable). All columns have the same length. */
export type ColumnsInput = Record<string, Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | (string | number | null | undefined)[]>;

/** A cell of an input object: a score in [0, 1], `null`/`""` (not observed), `"NA"`
 *  (not applicable) or a number written as text. */
export type InputCell = number | string | null;

/** `apertura::GateMode`. */
export type GateMode = "error" | "apply";
/** `apertura::NotApplicablePolicy`. */
export type NotApplicablePolicy = "zero" | "renormalize";
/** `apertura::MismatchPolicy`. */
export type MismatchPolicy = "error" | "keep_given";
/** `apertura::NationalMean`. */
export type NationalMean = "institutions" | "jurisdiction_means";
/** `apertura::settings::UnansweredRequest`. */
export type UnansweredRequest = "zero" | "exclude";
/** `apertura::Incomplete`: a unit whose index cannot be computed is an error (`"error"`), or
 *  is scored as far as the data allow, the rest left `null` and its rank 0 (`"partial"`). */
export type Incomplete = "error" | "partial";
/** A row filter `"COLUMN=VALUE"` or `"COLUMN!=VALUE"` (`apertura::io::RowFilter`). */
export type RowFilter = `${string}=${string}`;
/** A date `"YYYY-MM-DD"`. */
export type IsoDate = string;

/** Overrides of the edition's settings for one run (`apertura::Options`); every key is
 *  optional and unknown keys are an `invalid_option` error. */
export interface Options {
  gates?: GateMode;
  not_applicable?: NotApplicablePolicy;
  consistency_tolerance?: number;
  on_mismatch?: MismatchPolicy;
  quadrant_split?: number;
  national_mean?: NationalMean;
  display_decimals?: number;
  tc_celeridad?: string;
  pc_celeridad?: string;
  unanswered_request?: UnansweredRequest;
  participation_channels?: number;
  extra_holidays?: IsoDate[];
  incomplete?: Incomplete;
}

/** A simulated information request (`apertura::requests::InformationRequest`). */
export interface InformationRequest {
  institution: string;
  answered: boolean;
  availability?: number | null;
  clarity?: number | null;
  completeness?: number | null;
  filed: IsoDate;
  answered_on?: IsoDate | null;
  extension?: boolean;
}

/** A simulated policy proposal (`apertura::requests::ParticipationProposal`). */
export interface ParticipationProposal {
  institution: string;
  channels_found: number;
  acknowledged: boolean;
  activated: boolean;
  sent: IsoDate;
  replied_on?: IsoDate | null;
}

/** Options of `score` and every other function. */
export interface ScoreOptions extends Options {
  /** A shipped edition id (default `"mga-2017"`) or an `Edition`. */
  edition?: string | Edition;
  /** `{node: weight}`, applied in key order as sliders (`Plan::set_weight`), or
   *  `[node, weight]` pairs applied in array order (a node may repeat: a page's sequence of
   *  slider moves, replayed to the same weights bit for bit). */
  weights?: Record<string, number> | [string, number][];
  /** Information requests scored into the citizen transparency items. */
  requests?: InformationRequest[];
  /** Policy proposals scored into the citizen participation items. */
  proposals?: ParticipationProposal[];
  /** Keeps only the rows of CSV input that every filter accepts (the CLI's `--where`:
   *  `["year=2015"]` for GODI's entries file, which holds three years), or
   *  `{column: value}`; cells are compared as trimmed text. A column the file lacks is an
   *  `InputError`; with JSON or an array of objects it is an `invalid_option` error. */
  where?: RowFilter | RowFilter[] | Record<string, string | number>;
}

/** What `summary` groups by: `jurisdiction` (default), `level`, `type` (Spanish aliases
 *  accepted), or any metadata column name. */
export type GroupByName = "jurisdiction" | "level" | "type" | (string & {});

/** Options of `summary`. */
export interface SummaryOptions extends ScoreOptions {
  by?: GroupByName;
}

/** Options of `explain`. */
export interface ExplainOptions extends ScoreOptions {
  /** Id of the institution to explain. */
  institution: string;
}

/** Options of `fichaHtml`: one of `institution` (an id) or `state` (a name, parsed
 *  leniently: "Nuevo Leon", "CDMX"), the language, and the scoring options. */
export interface FichaOptions extends ScoreOptions {
  /** Id of the institution. */
  institution?: string;
  /** A state (or "Federal"), by name. */
  state?: string;
  /** Language of the labels: "es" (default) or "en". */
  lang?: "es" | "en";
}

/** Options of `compare`: `edition` for both runs, or `old_edition` / `new_edition` (an id
 *  or an `Edition`; the new one defaults to the old), the crosswalk, the grouping and
 *  the rank intervals; every other key is a scoring option of both runs. */
export interface CompareOptions extends Options {
  edition?: string | Edition;
  old_edition?: string | Edition;
  new_edition?: string | Edition;
  /** CSV text `old_id,new_id`, `[old_id, new_id]` pairs or `{old_id, new_id}` objects:
   *  renamed, merged (two old ids, one new) and split (one old id, two new) institutions. */
  crosswalk?: string | [string, string][] | { old_id: string; new_id: string }[];
  /** Group means by `jurisdiction`, `level`, `type` or a metadata column. */
  by?: GroupByName;
  /** Rank intervals of both runs (e.g. an uncertainty result's `institutions`, read as
   *  `{id, rank_q05, rank_q95}`): flags `significant` rank changes. */
  intervals?: {
    old: ({ id: string; low: number; high: number } | { id: string; rank_q05: number; rank_q95: number } | [string, number, number])[];
    new: ({ id: string; low: number; high: number } | { id: string; rank_q05: number; rank_q95: number } | [string, number, number])[];
  };
}

/** How a row of a comparison was matched. */
export type MatchStatus = "both" | "merged" | "split" | "old_only" | "new_only";

/** One row of `Comparison.institutions`: the fixed keys, then `<node>_old`, `<node>_new`,
 *  `<node>_delta` for every compared node and, where `effects`, `<node>_data_effect` and
 *  `<node>_method_effect` (adding up to the delta exactly). */
export interface ComparedInstitution {
  /** The new id where there is one, else the old id. */
  id: string;
  name: string;
  status: MatchStatus;
  rank_old: number | null;
  rank_new: number | null;
  /** `rank_new - rank_old` (negative: moved up). */
  rank_delta: number | null;
  quadrant_old: Quadrant | null;
  quadrant_new: Quadrant | null;
  old_id: string | null;
  new_id: string | null;
  /** With `intervals`: the new rank outside the old interval and the old rank outside
   *  the new one. */
  significant?: boolean | null;
  [node: string]: number | string | boolean | null | undefined;
}

/** One row of `Comparison.groups`: counts, then `<node>_old`, `<node>_new`, `<node>_delta`
 *  group means over the matched rows; the last row is `national`. */
export interface ComparedGroup {
  group: string;
  n_matched: number;
  n_old_only: number;
  n_new_only: number;
  [node: string]: number | string | null;
}

/** The result of `compare` (`apertura::io::compare_to_json`, plus the backcast). */
export interface Comparison {
  old_edition: string;
  new_edition: string;
  /** Nodes scored in both runs, in display order. */
  nodes: string[];
  /** Whether the data and method effects apply. */
  effects: boolean;
  /** Why there are no effects, and anything else to know. */
  notes: string[];
  counts: { both: number; merged: number; split: number; old_only: number; new_only: number };
  /** Matched rows by old quadrant (rows) and new quadrant (columns); `none`: unknown. */
  transitions: { labels: ["I", "II", "III", "IV", "none"]; counts: number[][] };
  institutions: ComparedInstitution[];
  /** With `by`. */
  groups?: ComparedGroup[];
  /** Matched rows without a group (counted only in `national`). */
  ungrouped: number;
  /** The old data scored under the new method (score rows), or `null`. */
  backcast: ScoreRow[] | null;
}

/** `apertura::EditionStatus`. */
export type EditionStatus = "verified" | "provisional";
/** Provenance tag symbol (`apertura::Tag`): verified, derived, narrative, inferred, unknown. */
export type Tag = "V" | "D" | "N" | "I" | "?";
/** `apertura::edition::NodeLevel`. */
export type NodeLevel = "index" | "dimension" | "perspective" | "component" | "item";
/** `"I"` high T low P, `"II"` both high, `"III"` both low, `"IV"` low T high P. */
export type Quadrant = "I" | "II" | "III" | "IV";

/** `apertura::EditionSummary`. */
export interface EditionSummary {
  id: string;
  /** English label. */
  label: string;
  /** Spanish label. */
  label_es: string;
  publication_year: number;
  status: EditionStatus;
  nodes: number;
  items: number;
  /** Count of weights, rules and settings per provenance tag. */
  provenance: Partial<Record<Tag, number>>;
}

/** `apertura::TreeRow`: one node of an edition's tree. */
export interface TreeRow {
  id: string;
  parent: string | null;
  level: NodeLevel;
  depth: number;
  label_es: string;
  label_en: string;
  weight: number;
  effective_weight: number;
  tag: Tag;
  source: string;
}

/** `apertura::plan::WeightSlot`: a child within its parent. */
export interface WeightSlot {
  parent: string;
  child: string;
  weight: number;
  default: number;
}

/** One row of the score table (`apertura::io::scores_to_json`): metadata, the value of every
 *  node that has one for some institution (`null` where unknown), rank and quadrant. */
export interface ScoreRow {
  id: string;
  name: string;
  jurisdiction: string | null;
  level: string | null;
  type: string | null;
  /** The index (root node of the MGA editions; other editions name theirs: `godi`, `odb`,
   *  found under `[node: string]`, on the node's range, e.g. 0-100; `null` when left empty by
   *  `incomplete: "partial"`). */
  iga: number;
  t?: number | null;
  p?: number | null;
  tg?: number | null;
  tc?: number | null;
  pg?: number | null;
  pc?: number | null;
  /** 1 = best; ties share the smallest rank (on the rounded value where the edition says
   *  so: GODI ranks whole numbers); 0 for a unit without an index value. */
  rank: number;
  quadrant: Quadrant | null;
  /** Any other node (items such as `"tg.ai"`). */
  [node: string]: string | number | null | undefined;
}

/** One row of `summary` (`apertura::io::summary_to_json`): unweighted means of the
 *  index, dimensions and perspectives, and the id of the best institution of each
 *  (`best_iga`, ...); the last row has `group === "national"`. */
export interface SummaryRow {
  group: string;
  n: number;
  iga: number | null;
  t: number | null;
  p: number | null;
  tg: number | null;
  tc: number | null;
  pg: number | null;
  pc: number | null;
  best_iga: string | null;
  best_t: string | null;
  best_p: string | null;
  best_tg: string | null;
  best_tc: string | null;
  best_pg: string | null;
  best_pc: string | null;
  [node: string]: string | number | null;
}

/** `apertura::Gap`: `weight x (1 - mean)` of a node within its perspective. */
export interface Gap {
  node: string;
  parent: string;
  weight: number;
  effective_weight: number;
  mean: number;
  gap: number;
  n: number;
}

/** `apertura::analysis::ItemContribution`. */
export interface ItemContribution {
  item: string;
  parent: string;
  weight: number;
  effective_weight: number;
  value: number;
  contribution: number;
  gain_if_one: number;
}

/** `apertura::Explanation`. */
export interface Explanation {
  institution: string;
  index: number;
  items: ItemContribution[];
}

/** What `improve` aims at (`apertura::analysis::improve::Target`): a score of the target
 *  node, a rank on it (the score of the institution now at that rank; a tie counts), the
 *  national mean of it now, or a T x P quadrant of the index. */
export type ImproveTarget = ImproveScoreTarget | ImproveRankTarget | ImproveMeanTarget | ImproveQuadrantTarget;
/** A score of the target node. */
export interface ImproveScoreTarget {
  kind: "score";
  value: number;
}
/** A rank (1 = first) on the target node. */
export interface ImproveRankTarget {
  kind: "rank";
  value: number;
}
/** The national mean of the target node now. */
export interface ImproveMeanTarget {
  kind: "mean";
  value?: null;
}
/** A T x P quadrant of the index. */
export interface ImproveQuadrantTarget {
  kind: "quadrant";
  value: Quadrant;
}

/** A cost per step of a node (or of every node under an aggregate without its own):
 *  a number at least 0, `Infinity` (or `"inf"`) to freeze it. */
export interface NodeCost {
  node: string;
  cost_per_step: number | string;
}

/** Options of `improve`. */
export interface ImproveOptions extends ScoreOptions {
  /** Id of the institution (not with `all`). */
  institution?: string;
  /** The target (not needed with `frontier`, where a score, rank or mean target only names
   *  the node). */
  target?: ImproveTarget;
  /** The node whose score or rank is targeted (default: the index). Not with quadrants. */
  node?: string;
  /** One step as a share of a node's range, in (0, 1]: `"1/3"` (default), `"0.25"`, `0.25`. */
  step?: string | number;
  /** Costs per step (default 1 each): `[{node, cost_per_step}]`, `{node: cost}`, or the
   *  text of a costs file (`node,cost_per_step`). */
  costs?: NodeCost[] | Record<string, number | string> | string;
  /** The cost-score Pareto front of the target node instead of one path. */
  frontier?: boolean;
  /** One path per institution (`feasible: false` where the target cannot be reached). */
  all?: boolean;
}

/** One action of a path (`apertura::analysis::improve::Action`): `node` raised from `from`
 *  to `to` by `steps` steps costing `cost`; `gain` in the target node given the actions
 *  listed before it (the gains add up; largest first; 0 in `all` rows). */
export interface ImproveAction {
  node: string;
  from: number;
  to: number;
  steps: number;
  cost: number;
  gain: number;
}

/** The cheapest path of one institution (`apertura::analysis::improve::Improvement`). */
export interface Improvement {
  institution: string;
  name: string;
  target: ImproveTarget;
  /** The node whose score is targeted (the index for quadrant targets). */
  target_node: string;
  /** The score the target node must reach (the quadrant split for quadrants; `null` for the
   *  last rank, which any score reaches). */
  required: number | null;
  feasible: boolean;
  /** Why not, when `feasible` is false (`all` rows). */
  reason?: string;
  /** Minimum total cost (0 if already there; `null` when infeasible). */
  cost: number | null;
  score_before: number | null;
  score_after: number | null;
  rank_before: number;
  rank_after: number;
  quadrant_before: Quadrant | null;
  quadrant_after: Quadrant | null;
  actions: ImproveAction[];
}

/** One point of the cost-score front (`apertura::analysis::improve::FrontierPoint`). */
export interface FrontierPoint {
  cost: number;
  score: number;
  actions: ImproveAction[];
}

/** The cheapest path of `options.institution` to `options.target`, the others unchanged
 *  (exact minimum cost; an unreachable target throws `unreachable_target`); with
 *  `frontier: true` the cost-score front, with `all: true` one path per institution. */
export function improve(input: Input, options: ImproveOptions & { frontier: true; all?: false | null }): FrontierPoint[];
export function improve(input: Input, options: ImproveOptions & { all: true; frontier?: false | null }): Improvement[];
export function improve(input: Input, options: ImproveOptions & { frontier?: false | null; all?: false | null }): Improvement;
export function improve(input: Input, options: ImproveOptions): Improvement | Improvement[] | FrontierPoint[];

/** Scores as columns (`scoreColumns`, `Scorer.columns`). */
export interface ScoreColumns {
  /** Institution ids, in input order. */
  ids: string[];
  /** Nodes of the score table, in display order (`iga, t, p, tg, tc, pg, pc`, items). */
  nodes: string[];
  /** `values[node][i]`: value of `node` for institution `i` (`NaN` where unknown). */
  values: Record<string, Float64Array>;
  rank: Uint32Array;
  quadrant: (Quadrant | null)[];
}

/** `apertura::robustness::GeometricZeros`: what a geometric mean does when it meets a zero
 *  child: refuse to run (`"error"`, the default), take the mathematical value 0 (`"zero"`),
 *  or take the geometric mean of `x + eps`, minus `eps` (`"shift:1e-6"`). */
export type GeometricZeros = "error" | "zero" | `shift:${number}`;
/** An aggregation alternative (`apertura::Aggregation::parse`). */
export type AggregationName = "arithmetic" | "geometric" | (string & {});
/** A setting a robustness analysis can vary (factor `set:<setting>`). */
export type VariedSetting = "not_applicable" | "tc_celeridad" | "pc_celeridad" | "unanswered_request";
/** `apertura::robustness::Sampler` (`"qmc"`, `"mc"` and `"prng"` are accepted too). */
export type Sampler = "sobol" | "random";
/** `apertura::robustness::Target`: what a Sobol' index is of. */
export type Target = "rank_shift" | "score" | "rank" | "national";

/** `apertura::robustness::WeightSet`: a named set of weights (child node id -> weight within
 *  its parent; slots not listed keep the edition's weight). `{name: "edition"}` and
 *  `{name: "equal"}` without weights are the built-in sets. */
export interface WeightSet {
  name: string;
  weights?: Record<string, number>;
}

/** What a robustness analysis varies (`apertura::robustness::FactorSpec`); at least one
 *  factor must result. */
export interface FactorOptions {
  /** Uniform relative noise p in [0, 1) on every weight in scope (factors `w:<child>`). */
  weight_noise?: number;
  /** Dirichlet concentration kappa > 0 per parent instead (factors `dir:<parent>`). */
  weight_dirichlet?: number;
  /** Parents whose children's weights vary (default: every node computed from the data). */
  weight_parents?: string[];
  /** At least two weight sets to choose among (factor `weights`). */
  weight_sets?: WeightSet[];
  /** Aggregation alternatives per node: `{p: ["arithmetic", "geometric"]}` (factor `agg:p`). */
  vary_aggregation?: Record<string, AggregationName[]>;
  /** Setting alternatives: `{not_applicable: ["zero", "renormalize"]}` (factor `set:not_applicable`). */
  vary?: Partial<Record<VariedSetting, string[]>>;
  /** Noise d in (0, 1] on the values of the lowest nodes given (factors `x:<node>`). */
  data_noise?: number;
  /** Nodes whose values vary with `data_noise` (default: every lowest node given). */
  data_nodes?: string[];
  geometric_zeros?: GeometricZeros;
}

/** Keys shared by `uncertainty` and `sensitivity`. */
export interface RobustnessCallOptions extends ScoreOptions, FactorOptions {
  /** Rows of A and B (sensitivity, a power of two; default 1024) or runs (uncertainty,
   *  default 1000); ignored when `design` is given. */
  n?: number;
  /** Seed of the design and of the sensitivity bootstrap (default 1); with `design`, a
   *  sensitivity analysis still draws its bootstrap from it. */
  seed?: number;
  sampler?: Sampler;
  /** Keep every run's per-institution scores and ranks (`outputs`). */
  keep_outputs?: boolean;
  /** A design to rerun: the text of a design CSV, e.g. the `design_csv` of an earlier
   *  result (its columns must be this analysis' factors). */
  design?: string;
  /** Called with (done, total) runs between chunks of runs (about 50 times per run);
   *  returning `false` stops the analysis with an `AperturaError` whose code is
   *  `"cancelled"`; an exception thrown here stops it and is rethrown. */
  onProgress?: (done: number, total: number) => boolean | void;
}

/** Options of `uncertainty` (flat: score settings, factors and run keys together). */
export interface UncertaintyOptions extends RobustnessCallOptions {
  /** K of `p_top` (default 10). */
  top?: number;
  /** Group institutions: `jurisdiction`, `level`, `type` or a metadata column (`groups`). */
  by?: GroupByName;
}

/** Options of `sensitivity` (flat: score settings, factors and run keys together). */
export interface SensitivityOptions extends RobustnessCallOptions {
  /** Bootstrap resamples (default 100; 0: no intervals). */
  bootstrap?: number;
  /** Level of the percentile intervals (default 0.95). */
  confidence?: number;
  /** The targets (default all): an array, `"all"` or a comma list. */
  targets?: Target[] | "all" | (string & {});
}

/** `apertura::robustness::FactorKind` (the `kind` tag and its fields). */
export type FactorKind =
  | { kind: "weight_noise"; parent: string; child: string; p: number }
  | { kind: "dirichlet"; parent: string; kappa: number }
  | { kind: "weight_set" }
  | { kind: "aggregation"; node: string }
  | { kind: "setting"; setting: string }
  | { kind: "data_noise"; node: string; d: number };

/** `apertura::robustness::Factor`: one uncertain input, named as in designs (`w:tg`,
 *  `dir:t`, `weights`, `agg:p`, `set:not_applicable`, `x:tg`). */
export type Factor = { name: string; alternatives: string[] } & FactorKind;

/** `apertura::robustness::Distribution`: a quantity over the runs (quantiles by
 *  `numpy.quantile`'s linear method). */
export interface Distribution {
  mean: number;
  median: number;
  q05: number;
  q95: number;
  min: number;
  max: number;
}

/** `apertura::robustness::InstitutionInterval`: one institution's intervals. */
export interface InstitutionInterval {
  id: string;
  name: string;
  /** Nominal index score (recomputed from the lowest nodes given). */
  score: number;
  /** Nominal rank. */
  rank: number;
  rank_median: number;
  rank_mean: number;
  rank_q05: number;
  rank_q95: number;
  score_median: number;
  score_mean: number;
  score_q05: number;
  score_q95: number;
  /** Share of runs with rank <= `top`. */
  p_top: number;
}

/** `apertura::robustness::GroupInterval`: one group's mean and rank among groups. */
export interface GroupInterval {
  group: string;
  n: number;
  mean: number;
  rank: number;
  mean_median: number;
  mean_q05: number;
  mean_q95: number;
  rank_median: number;
  rank_q05: number;
  rank_q95: number;
}

/** `apertura::robustness::RunRecord`: one run of an uncertainty analysis. */
export interface RunRecord {
  run: number;
  /** Resolved value of each factor, in factor order. */
  values: number[];
  /** R_S: mean absolute rank shift against nominal. */
  rank_shift: number;
  /** Spearman's rho against nominal (`null` when a ranking is all ties). */
  spearman: number | null;
  national: number;
}

/** `apertura::robustness::Design`: the uniforms of an uncertainty analysis. */
export interface Design {
  factors: string[];
  n: number;
  /** Row-major `n x factors.length` uniforms in [0, 1). */
  values: number[];
}

/** `apertura::robustness::SaDesign`: Saltelli's matrices A and B. */
export interface SaDesign {
  factors: string[];
  n: number;
  /** Row-major `n x factors.length`. */
  a: number[];
  b: number[];
}

/** Every run's outputs (`apertura::robustness::SaOutputs`, with `keep_outputs`):
 *  run-major `runs x institutions`, institutions in input order: `scores[r * m + i]`. */
export interface RunOutputs {
  scores: Float64Array;
  ranks: Uint32Array;
}

/** `apertura::robustness::Uncertainty`, plus `design_csv`. */
export interface Uncertainty {
  edition: string;
  factors: Factor[];
  /** Policies in force that change what a run computes. */
  policies: string[];
  evaluation: "columns" | "rows";
  design: Design;
  top: number;
  /** Nominal national mean. */
  national: number;
  /** One row per institution, input order. */
  institutions: InstitutionInterval[];
  /** One row per group (empty without `by`). */
  groups: GroupInterval[];
  runs: RunRecord[];
  rank_shift: Distribution;
  spearman: Distribution | null;
  national_runs: Distribution;
  outputs: RunOutputs | null;
  /** The design as CSV (`Design::to_csv`): pass it back as `design` to rerun exactly. */
  design_csv: string;
}

/** `apertura::robustness::SobolIndex`: indices of one factor for one target. */
export interface SobolIndex {
  target: Target;
  /** The institution (score and rank targets), else `null`. */
  institution: string | null;
  factor: string;
  s1: number;
  s1_lo: number | null;
  s1_hi: number | null;
  st: number;
  st_lo: number | null;
  st_hi: number | null;
  /** Whether the S1 interval excludes 0 (`null` without a bootstrap). */
  s1_nonzero: boolean | null;
  st_nonzero: boolean | null;
}

/** `apertura::robustness::ConstantTarget`: a target with no variance (no indices). */
export interface ConstantTarget {
  target: Target;
  institution: string | null;
  value: number;
}

/** `apertura::robustness::Convergence`: interval widths with the first `n` rows. */
export interface Convergence {
  target: Target;
  factor: string;
  n: number;
  s1: number;
  s1_width: number;
  st: number;
  st_width: number;
}

/** `apertura::robustness::SaRun`: one run of a sensitivity design. */
export interface SaRun {
  run: number;
  /** `"A"`, `"B"` or `"AB:<factor>"`. */
  block: string;
  row: number;
  values: number[];
  rank_shift: number;
  national: number;
}

/** `apertura::robustness::Sensitivity`, plus `design_csv`. */
export interface Sensitivity {
  edition: string;
  factors: Factor[];
  policies: string[];
  evaluation: "columns" | "rows";
  design: SaDesign;
  bootstrap: number;
  confidence: number;
  /** Institution ids, input order (the columns of `outputs`). */
  institutions: string[];
  indices: SobolIndex[];
  constant: ConstantTarget[];
  convergence: Convergence[];
  runs: SaRun[];
  outputs: RunOutputs | null;
  /** The design as CSV (`SaDesign::to_csv`, columns `A:<factor>`, `B:<factor>`). */
  design_csv: string;
}

/** Stable error codes (`apertura::Error::code`), plus `"panic"` for an internal error. */
export type ErrorCode =
  | "out_of_range" | "not_a_number" | "not_finite" | "missing_id" | "duplicate_id"
  | "missing_value" | "mismatch" | "gate_violation" | "invalid_date" | "unknown_institution"
  | "malformed" | "invalid_metadata" | "unknown_node"
  | "edition_parse" | "unknown_edition" | "duplicate_node" | "shared_child" | "cycle"
  | "unreachable_node" | "bad_shape" | "invalid_weight" | "weight_sum" | "bad_gate" | "bad_setting"
  | "invalid_option" | "no_scorer" | "no_request_mapping" | "buffer_mismatch"
  | "invalid_factor" | "invalid_design" | "geometric_zero" | "cancelled"
  | "crosswalk_cycle" | "crosswalk_many_to_many"
  | "panic" | (string & {});

/** One problem found (`error.errors[k]`); location fields are `null` when unknown. */
export interface Problem {
  code: ErrorCode;
  message: string;
  /** The robustness factor (`w:tg`, `agg:p`, `set:not_applicable`, `weights`...) of a
   *  robustness error (`invalid_factor`, `invalid_design`, `geometric_zero`). */
  factor: string | null;
  institution: string | null;
  item: string | null;
  /** 1-based data row of the input, or of an imported design (header not counted). */
  row: number | null;
  /** Column of the input, or of an imported design. */
  column: string | null;
  /** The offending value exactly as given. */
  value: string | null;
}

/** What every function throws: an `Error` named `"AperturaError"` with the first problem's
 *  code and location, and every problem in `errors`. */
export interface AperturaError extends Error {
  name: "AperturaError";
  code: ErrorCode;
  factor: string | null;
  institution: string | null;
  item: string | null;
  row: number | null;
  column: string | null;
  value: string | null;
  errors: Problem[];
  /** The edition, for edition errors (`edition_parse`, `unknown_edition`, `weight_sum`...). */
  edition?: string;
}
"#;
