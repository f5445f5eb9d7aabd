// Type-checked (never run) by wasm/js/types.test.mjs with `tsc --strict`: the declarations in
// apertura.d.ts describe every input and output, and misuse is a type error.
import init, {
  initSync, version, editions, Edition, score, summary, gaps, explain, scoresToCsv, scoreColumns, Scorer,
  type AperturaError, type EditionSummary, type ScoreRow, type SummaryRow, type Gap, type Explanation,
  type ScoreColumns, type TreeRow, type WeightSlot, type ScoreOptions, type InformationRequest,
  type ParticipationProposal, type Problem, type Quadrant,
  uncertainty, sensitivity, type Uncertainty, type Sensitivity, type UncertaintyOptions, type SensitivityOptions,
  type InstitutionInterval, type SobolIndex, type Factor, type Distribution, type RunOutputs, type GeometricZeros,
} from '../../pkg/apertura_full.js';

export async function usage(bytes: Uint8Array, csv: string): Promise<void> {
  await init();
  initSync({ module: bytes });
  const v: string = version();
  const list: EditionSummary[] = editions();
  const verified: boolean = list[0].status === 'verified';
  const ed: Edition = Edition.load('mga-2017');
  const tree: TreeRow[] = ed.tree();
  const parent: string | null = tree[0].parent;
  const slots: WeightSlot[] = ed.weightSlots();
  const d: number = slots[0].default;
  const again: Edition = Edition.fromToml(ed.toToml());
  const json: Edition = Edition.fromJson(again.toJson());
  const id: string = json.id;

  const req: InformationRequest = { institution: 'a', answered: true, availability: 1, clarity: 1, completeness: 1, filed: '2016-01-29', answered_on: '2016-02-05' };
  const prop: ParticipationProposal = { institution: 'a', channels_found: 2, acknowledged: true, activated: false, sent: '2016-03-01' };
  const options: ScoreOptions = { edition: ed, weights: { tg: 0.8 }, gates: 'apply', requests: [req], proposals: [prop], quadrant_split: 0.5 };
  const rows: ScoreRow[] = score(csv, options);
  const fromObjects: ScoreRow[] = score([{ id: 'a', tg: 0.5, tc: 0.5, pg: 0.5, pc: 0.5 }]);
  const iga: number = rows[0].iga;
  const t: number | null | undefined = rows[0].t;
  const item = rows[0]['tg.ai'];
  const q: Quadrant | null = rows[0].quadrant;
  const rank: number = fromObjects[0].rank;
  const godi: ScoreRow[] = score(csv, { edition: 'godi-2015', where: ['year=2015'], incomplete: 'partial' });
  const godiIndex = godi[0]['godi'];
  const byDict: ScoreRow[] = score(csv, { edition: 'godi-2015', where: { year: 2015 } });
  const one: ScoreRow[] = score(csv, { edition: 'godi-2015', where: 'place!=sg', incomplete: 'error' });
  const s: SummaryRow[] = summary(csv, { by: 'level' });
  const national: number | null = s[s.length - 1].iga;
  const g: Gap[] = gaps(csv);
  const gap: number = g[0].gap;
  const x: Explanation = explain(csv, { institution: 'a', edition: 'mga-2017' });
  const gain: number = x.items[0].gain_if_one;
  const text: string = scoresToCsv(new TextEncoder().encode(csv));
  const cols: ScoreColumns = scoreColumns({ id: ['a'], tg: new Float64Array([0.5]), tc: ['0.5'], pg: [0.5], pc: new Float32Array([0.5]) });
  const values: Float64Array = cols.values.iga;
  const ranks: Uint32Array = cols.rank;

  const scorer = new Scorer(csv, { edition: 'mga-2017' });
  scorer.setWeight('tg.ai', 0.7);
  scorer.resetWeights();
  const current: ScoreRow[] = scorer.rows();
  const means: Record<string, number> = scorer.national();
  const bySummary: SummaryRow[] = scorer.summary('jurisdiction');
  const byDefault: SummaryRow[] = scorer.summary();
  const why: Explanation = scorer.explain('a');
  const out: string = scorer.toCsv();
  const n: number = scorer.length;
  const c2: ScoreColumns = scorer.columns();
  scorer.free();

  try {
    score(csv);
  } catch (err) {
    const e = err as AperturaError;
    const code: string = e.code;
    const row: number | null = e.row;
    const all: Problem[] = e.errors;
    const first: string | null = all[0].institution;
    void [code, row, first];
  }

  // Misuse is rejected by the types.
  // @ts-expect-error: unknown gate mode
  score(csv, { gates: 'sometimes' });
  // @ts-expect-error: weights are numbers
  score(csv, { weights: { tg: '0.8' } });
  // @ts-expect-error: explain needs an institution
  explain(csv, {});
  // @ts-expect-error: input is text, bytes or objects
  score(42);
  // @ts-expect-error: a ScoreRow's index is a number
  const wrong: string = rows[0].iga;
  // @ts-expect-error: no such method
  scorer.setWeights({});
  // @ts-expect-error: unknown incomplete policy
  score(csv, { incomplete: 'sometimes' });
  // @ts-expect-error: a row filter is COLUMN=VALUE
  score(csv, { where: ['year'] });

  void [v, verified, parent, d, id, iga, t, item, q, rank, godiIndex, byDict, one, national, gap, gain, text, values, ranks, current, means, bySummary, byDefault, why, out, n, c2, wrong];
}

export function robustness(csv: string): void {
  const policy: GeometricZeros = 'shift:1e-6';
  const uaOptions: UncertaintyOptions = {
    edition: 'mga-2017', gates: 'apply', weights: { t: 0.6 },
    weight_noise: 0.25, weight_parents: ['t', 'p'], vary_aggregation: { p: ['arithmetic', 'geometric'] },
    vary: { not_applicable: ['zero', 'renormalize'] }, weight_sets: [{ name: 'edition' }, { name: 'equal' }, { name: 'mine', weights: { tg: 0.6, tc: 0.4 } }],
    data_noise: 0.05, data_nodes: ['tg'], geometric_zeros: policy,
    n: 1000, seed: 7, sampler: 'random', top: 30, by: 'jurisdiction', keep_outputs: true,
    onProgress: (done: number, total: number) => done < total,
  };
  const ua: Uncertainty = uncertainty(csv, uaOptions);
  const first: InstitutionInterval = ua.institutions[0];
  const range: [number, number] = [first.rank_q05, first.rank_q95];
  const rs: Distribution = ua.rank_shift;
  const rho: number | null = ua.runs[0].spearman;
  const out: RunOutputs | null = ua.outputs;
  const scores: Float64Array | undefined = out?.scores;
  const f: Factor = ua.factors[0];
  const parentOf: string | null = f.kind === 'weight_noise' ? f.parent : null;
  const again: Uncertainty = uncertainty(csv, { weight_noise: 0.25, design: ua.design_csv, onProgress: () => {} });

  const replay: ScoreRow[] = score(csv, { weights: [['t', 0.6], ['tg', 0.5], ['t', 0.7]] });
  const saOptions: SensitivityOptions = { weight_dirichlet: 50, n: 256, bootstrap: 50, confidence: 0.9, targets: ['rank_shift', 'national'] };
  const sa: Sensitivity = sensitivity(csv, saOptions);
  const all: Sensitivity = sensitivity(csv, { weight_noise: 0.1, targets: 'all', design: sa.design_csv });
  const idx: SobolIndex = sa.indices[0];
  const interaction: number = idx.st - idx.s1;
  const lo: number | null = idx.s1_lo;

  // Misuse is rejected by the types.
  // @ts-expect-error: a factor is a number
  uncertainty(csv, { weight_noise: '0.25' });
  // @ts-expect-error: unknown geometric-zero policy
  uncertainty(csv, { weight_noise: 0.25, geometric_zeros: 'skip' });
  // @ts-expect-error: top is an uncertainty option
  sensitivity(csv, { weight_noise: 0.25, top: 3 });
  // @ts-expect-error: bootstrap is a sensitivity option
  uncertainty(csv, { weight_noise: 0.25, bootstrap: 3 });
  // @ts-expect-error: options are required (a factor is needed)
  uncertainty(csv);
  // @ts-expect-error: onProgress gets numbers
  uncertainty(csv, { weight_noise: 0.25, onProgress: (done: string) => done === '' });
  // @ts-expect-error: the intervals are numbers
  const wrong: string = first.rank_q05;

  void [range, rs, rho, scores, parentOf, again, replay, all, interaction, lo, wrong];
}
