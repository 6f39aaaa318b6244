/**
 * Evaluation metrics of a reward model on held-out data. Conventions (documented in
 * docs/simulate.md): ties in Spearman get average ranks; a prompt whose predictions or golden
 * rewards are all equal has no defined correlation and is left out of the average; ties in an
 * argmax go to the lower response index; ties in pair accuracy count one half.
 */
import { Rng } from '../math/rng.js';

/** 1-based ranks, tied values sharing the average of their ranks. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const ranks = new Float64Array(n);
  for (let s = 0; s < n; ) {
    let e = s + 1;
    while (e < n && values[order[e]!] === values[order[s]!]) e++;
    const r = (s + 1 + e) / 2;
    for (let t = s; t < e; t++) ranks[order[t]!] = r;
    s = e;
  }
  return ranks;
}

/** Spearman's ρ (Pearson correlation of average ranks); NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`spearman: lengths differ (${a.length} vs ${b.length})`);
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = ra[i]! - mean;
    const y = rb[i]! - mean;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Responses of each held-out prompt: global response indices, one array per prompt. */
export type PromptGroups = ReadonlyArray<ArrayLike<number>>;

/** Mean over prompts of the within-prompt Spearman ρ(predicted, golden); NaN if no prompt has one. */
export function meanWithinSpearman(pred: ArrayLike<number>, golden: ArrayLike<number>, groups: PromptGroups): number {
  let sum = 0;
  let count = 0;
  for (const g of groups) {
    const p = Array.from(g, (i) => pred[i]!);
    const t = Array.from(g, (i) => golden[i]!);
    const rho = spearman(p, t);
    if (!Number.isNaN(rho)) {
      sum += rho;
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

/** The N of `bon@N` that are reported for prompts of `responses` responses: the requested N below
 * it, and N capped at it once (so `bon@10` for 10 responses stands for N = 10, 30, …, 500). */
export function bonSizes(responses: number, requested: readonly number[] = [5, 10, 30, 50, 100, 300, 500]): number[] {
  const out = new Set<number>();
  for (const n of requested) out.add(Math.min(n, responses));
  return [...out].sort((a, b) => a - b);
}

/**
 * Best-of-N: for each prompt, draw min(N, its responses) of its responses uniformly without
 * replacement (seeded by `seed` and the prompt's position, so every rule sees the same draws), pick
 * the one with the highest predicted reward, and average the picks' golden rewards over prompts.
 */
export function bestOfN(pred: ArrayLike<number>, golden: ArrayLike<number>, groups: PromptGroups, n: number, seed: number): number {
  let sum = 0;
  for (let g = 0; g < groups.length; g++) {
    const members = Array.from(groups[g]!);
    const take = Math.min(n, members.length);
    if (take < members.length) {
      const rng = new Rng((seed + Math.imul(g + 1, 0x9e3779b1)) | 0);
      for (let t = 0; t < take; t++) {
        const s = t + rng.int(members.length - t);
        [members[t], members[s]] = [members[s]!, members[t]!];
      }
      members.length = take;
      members.sort((a, b) => a - b);
    }
    let best = members[0]!;
    for (const i of members) if (pred[i]! > pred[best]!) best = i;
    sum += golden[best]!;
  }
  return groups.length === 0 ? NaN : sum / groups.length;
}

/** Fraction of pairs (i, j interleaved, i preferred) the predictions order correctly; ties count ½. */
export function pairAccuracy(pred: ArrayLike<number>, pairs: ArrayLike<number>): number {
  const m = pairs.length / 2;
  let hit = 0;
  for (let p = 0; p < m; p++) {
    const d = pred[pairs[2 * p]!]! - pred[pairs[2 * p + 1]!]!;
    hit += d > 0 ? 1 : d === 0 ? 0.5 : 0;
  }
  return m === 0 ? NaN : hit / m;
}

/** The first budget whose value reaches `target`; null when none does. */
export function labelsToTarget(budgets: readonly number[], values: readonly number[], target: number): number | null {
  for (let t = 0; t < budgets.length; t++) if (values[t]! >= target) return budgets[t]!;
  return null;
}
