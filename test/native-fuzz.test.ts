/**
 * Malformed calls against every function the addon exports (CPU and, where exported, CUDA): each
 * must throw synchronously or reject, never resolve and never hang, and the process must live.
 * Each call starts from valid arguments and breaks one to three of them; a call always holds at
 * least one argument that is invalid whatever the others are, so a resolved promise is a
 * validation gap, not bad luck. Seeded (ACTIVE_RM_FUZZ_SEED reproduces another run).
 * Also: arguments rewritten by JS while a call runs must not move the worker's reads.
 */
import { describe, expect, it } from 'vitest';
import { nativeForTests } from './helpers/native-addon.js';
import { Rng } from '../lib/math/rng.js';

const CALLS = 10_000;
const SEED = Number(process.env.ACTIVE_RM_FUZZ_SEED ?? 20261128);
const ASYNC_LIMIT_MS = 10_000;

const env = process.env.ACTIVE_RM_BACKEND;
// The fuzz is slow: it runs under npm run test:native (and plain vitest), not under test:js.
const loaded = env === 'js' ? undefined : nativeForTests('native boundary fuzz');
const skipReason =
  !loaded ? 'ACTIVE_RM_BACKEND=js; npm run test:native runs it'
  : loaded.skip ? `the addon did not load: ${loaded.info.reason}`
  : undefined;
type Fn = (...args: unknown[]) => unknown;
const addon = (loaded?.addon ?? {}) as unknown as Record<string, unknown> & { cuda?: Record<string, unknown> };

// A small valid problem: n = 5 responses, d = 3, m = 4 pairs, two prompts.
const n = 5, d = 3, m = 4, k = 2;
type Kind = 'features' | 'size' | 'count' | 'pairs' | 'optPairs' | 'rows' | 'f64' | 'factor' | 'matrix' | 'optF64' | 'number' | 'bool' | 'cancel' | 'ids';
interface Slot { name: string; kind: Kind; valid: () => unknown }
const feat = (): Float64Array => Float64Array.from({ length: n * d }, (_, e) => Math.sin(1.7 * e + 0.3));
const ident = (scale = 1): Float64Array => Float64Array.from({ length: d * d }, (_, e) => (e % (d + 1) === 0 ? scale : 0));
const S = {
  features: { name: 'features', kind: 'features', valid: feat },
  n: { name: 'n', kind: 'size', valid: () => n },
  d: { name: 'd', kind: 'size', valid: () => d },
  pairs: { name: 'pair', kind: 'pairs', valid: () => new Int32Array([0, 1, 1, 2, 0, 3, 2, 4]) },
  weights: { name: 'weights', kind: 'f64', valid: () => new Float64Array([0.25, 0.2, 0, 0.1]) },
  lambdas: { name: 'lambdas', kind: 'f64', valid: () => new Float64Array([0.25, 0.2, 0.15, 0.1]) },
  ridge: { name: 'ridge', kind: 'number', valid: () => 1 },
  // The fused design calls' labeled pairs (optional; m = 2) and their weights.
  pastPairs: { name: 'pastPairs', kind: 'optPairs', valid: () => new Int32Array([0, 2, 1, 4]) },
  pastWeights: { name: 'pastWeights', kind: 'optF64', valid: () => new Float64Array([0.3, 0.1]) },
  poolInMatrix: { name: 'poolInMatrix', kind: 'bool', valid: () => true },
  base: { name: 'base', kind: 'optF64', valid: () => ident(0.5) },
  factor: { name: 'factor', kind: 'factor', valid: () => ident(2) },
  M: { name: 'M', kind: 'matrix', valid: () => ident(3) },
  k: { name: 'k', kind: 'count', valid: () => k },
  lazy: { name: 'lazy', kind: 'bool', valid: () => true },
  cancel: { name: 'cancel', kind: 'cancel', valid: () => new Int32Array(1) },
  promptIds: { name: 'promptIds', kind: 'ids', valid: () => new Int32Array([0, 0, 1, 1, 1]) },
  rewards: { name: 'rewards', kind: 'f64', valid: () => new Float64Array([0.1, -0.2, 0.3, 0, 0.5]) },
  // The implicit exhaustive pool: cross-prompt pairs of promptIds less the excluded ones (4 left).
  cross: { name: 'cross', kind: 'bool', valid: () => true },
  expRewards: { name: 'expRewards', kind: 'optF64', valid: () => new Float64Array([1.1, 0.8, 1.3, 1, 1.6]) },
  excluded: { name: 'excluded', kind: 'pairs', valid: () => new Int32Array([0, 1, 1, 2, 0, 3, 2, 4]) },
  progress: { name: 'progress', kind: 'cancel', valid: () => new Int32Array(1) },
  // The MLP kernels: width 2 on d = 3 inputs has 22 parameters; labeled pairs come in either order.
  inputDim: { name: 'inputDim', kind: 'size', valid: () => d },
  width: { name: 'width', kind: 'size', valid: () => 2 },
  params: { name: 'params', kind: 'f64', valid: () => Float64Array.from({ length: 22 }, (_, e) => Math.cos(0.9 * e)) },
  adamM: { name: 'adamM', kind: 'f64', valid: () => new Float64Array(22).fill(0.01) },
  adamV: { name: 'adamV', kind: 'f64', valid: () => new Float64Array(22).fill(0.02) },
  steps: { name: 'steps', kind: 'count', valid: () => 3 },
  labeled: { name: 'pairs', kind: 'rows', valid: () => new Int32Array([0, 1, 2, 1, 3, 4, 4, 0]) },
  labels: { name: 'labels', kind: 'f64', valid: () => new Float64Array([1, 0, 0.5, 1]) },
  order: { name: 'order', kind: 'ids', valid: () => new Int32Array([0, 1, 2, 3, 3, 2, 1, 0]) },
  epochs: { name: 'epochs', kind: 'size', valid: () => 2 },
  batchSize: { name: 'batchSize', kind: 'size', valid: () => 3 },
  lr: { name: 'lr', kind: 'number', valid: () => 1e-3 },
  weightDecay: { name: 'weightDecay', kind: 'number', valid: () => 0 },
  // The coreset kernel: K = 2 seed pairs among the m = 4.
  seeds: { name: 'seeds', kind: 'ids', valid: () => new Int32Array([0, 2]) },
  iterations: { name: 'iterations', kind: 'size', valid: () => 3 },
  radius: { name: 'radius', kind: 'number', valid: () => 1 },
  // BatchBALD's greedy: m = 3 candidates × S = 2 samples.
  prob: { name: 'prob', kind: 'f64', valid: () => new Float64Array([0.2, 0.3, 0.9, 0.8, 0.5, 0.5]) },
  condEntropy: { name: 'condEntropy', kind: 'f64', valid: () => new Float64Array([0.5, 0.4, 0.69]) },
  S: { name: 'S', kind: 'size', valid: () => 2 },
  kBald: { name: 'k', kind: 'count', valid: () => 2 },
  configurations: { name: 'configurations', kind: 'size', valid: () => 4 },
  uniforms: { name: 'uniforms', kind: 'f64', valid: () => new Float64Array(12).fill(0.5) },
  // BatchBALD's probabilities: 2 posterior samples of the d = 3 head.
  samples: { name: 'samples', kind: 'f64', valid: () => Float64Array.from({ length: 2 * d }, (_, e) => Math.cos(1.3 * e)) },
} satisfies Record<string, Slot>;
const SPECS: Record<string, Slot[] | null> = {
  informationMatrix: [S.features, S.n, S.d, S.pairs, S.weights, S.ridge, S.base],
  cholesky: [S.M, S.d],
  quadraticForms: [S.features, S.n, S.d, S.factor, S.pairs],
  projectResponses: [S.features, S.n, S.d, S.factor],
  sequentialGains: [S.features, S.n, S.d, S.factor, S.pairs, S.lambdas],
  greedy: [S.features, S.n, S.d, S.factor, S.pairs, S.lambdas, S.k, S.lazy, S.cancel],
  greedyDesign: [S.features, S.n, S.d, S.pairs, S.lambdas, S.k, S.lazy, S.ridge, S.pastPairs, S.pastWeights, S.cancel],
  doptScores: [S.features, S.n, S.d, S.pairs, S.weights, S.ridge, S.poolInMatrix, S.pastPairs, S.pastWeights, S.cancel],
  greedyDesignImplicit: [S.features, S.n, S.d, S.promptIds, S.cross, S.expRewards, S.rewards, S.excluded, S.k, S.ridge, S.pastPairs, S.pastWeights, S.cancel, S.progress],
  crossGreedy: [S.features, S.n, S.d, S.factor, S.promptIds, S.rewards, S.k, S.cancel],
  batchbaldGreedy: [S.prob, S.condEntropy, S.S, S.kBald, S.configurations, S.uniforms, S.cancel],
  batchbaldProbabilities: [S.features, S.n, S.d, S.samples, S.pairs, S.cancel],
  coresetSensitivities: [S.features, S.n, S.d, S.pairs, S.seeds, S.iterations, S.radius, S.cancel],
  status: null, // takes no input
  mlpForward: [S.features, S.n, S.inputDim, S.width, S.params],
  mlpGradient: [S.features, S.n, S.inputDim, S.width, S.params, S.labeled, S.labels],
  mlpTrain: [S.features, S.n, S.inputDim, S.width, S.params, S.adamM, S.adamV, S.steps, S.labeled, S.labels, S.order, S.epochs, S.batchSize, S.lr, S.weightDecay, S.cancel],
};

/** Every function the addon exports, CUDA ones as "cuda.name". */
function exported(): [string, Fn][] {
  const out: [string, Fn][] = [];
  for (const [key, v] of Object.entries(addon ?? {})) if (typeof v === 'function') out.push([key, v as Fn]);
  for (const [key, v] of Object.entries(addon?.cuda ?? {})) if (typeof v === 'function') out.push([`cuda.${key}`, v as Fn]);
  return out;
}
const specOf = (name: string): Slot[] | null | undefined => SPECS[name.replace(/^cuda\./, '')];

// Bad values. "always" ones are invalid whatever the other arguments are; "relative" ones only
// against the valid values of the others (a call never consists of relative breaks alone).
type Bad = { what: string; value: () => unknown };
const bad = (what: string, value: () => unknown): Bad => ({ what, value });
const JUNK: Bad[] = [
  bad('a string', () => '3'), bad('a BigInt', () => 3n), bad('an object', () => ({ length: 15 })),
  bad('a plain array', () => [0, 1, 2, 3]), bad('an empty array', () => []), bad('a symbol', () => Symbol('x')),
  bad('a function', () => () => 1), bad('a Number object', () => new Number(3)), bad('an ArrayBuffer', () => new ArrayBuffer(64)),
  bad('a DataView', () => new DataView(new ArrayBuffer(64))), bad('a Proxy of a Float64Array', () => new Proxy(new Float64Array(15), {})),
  bad('a fake typed array', () => Object.create(Float64Array.prototype)),
];
const MISSING: Bad[] = [bad('undefined', () => undefined), bad('null', () => null)];
const CTORS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
const dtypes = (length: number, ok: string[]): Bad[] =>
  CTORS.filter((C) => !ok.includes(C.name)).map((C) => bad(`a ${C.name}`, () => new C(length)));
function detached<T extends ArrayBufferView>(a: T): T {
  structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
  return a;
}
// ES2024 resizable buffers (Node 20 has them; the ES2022 typings do not).
const ResizableBuffer = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => ArrayBuffer;
function resizable(a: Float64Array | Int32Array): unknown {
  const buffer = new ResizableBuffer(a.byteLength, { maxByteLength: 2 * a.byteLength + 8 });
  const C = a.constructor as Float64ArrayConstructor;
  const out = new C(buffer);
  out.set(a as Float64Array);
  return out;
}
function poisoned(valid: () => unknown, at: (length: number, rng: Rng) => number, value: number): (rng: Rng) => unknown {
  return (rng) => {
    const a = valid() as Float64Array;
    a[at(a.length, rng)] = value;
    return a;
  };
}
const anywhere = (length: number, rng: Rng): number => rng.int(length);
const diagonal = (_: number, rng: Rng): number => rng.int(d) * (d + 1);
const NON_FINITE = [NaN, Infinity, -Infinity];
const BAD_NUMBERS = [NaN, Infinity, -Infinity, 1.5, -0.5, 2 ** 31, 2 ** 32, 2 ** 53, 1e300, -1e300, Number.MIN_VALUE, -1];

type Breaker = { what: string; always: boolean; value: (rng: Rng) => unknown };
function breakers(slot: Slot): Breaker[] {
  const always = (b: Bad): Breaker => ({ what: b.what, always: true, value: b.value });
  const relative = (what: string, value: () => unknown): Breaker => ({ what, always: false, value });
  const out: Breaker[] = JUNK.map(always);
  const optional = slot.kind === 'optF64' || slot.kind === 'optPairs' || slot.kind === 'cancel';
  if (!optional) out.push(...MISSING.map(always));
  const typed = (ok: string[]): void => {
    const length = (slot.valid() as ArrayBufferView & { length: number }).length;
    out.push(...dtypes(length, ok).map(always));
    out.push({ what: 'a resizable buffer', always: slot.kind !== 'pairs' && slot.kind !== 'optPairs', value: () => resizable(slot.valid() as Float64Array) });
    out.push(relative('one entry short', () => (slot.valid() as Float64Array).subarray(1)));
    if (slot.kind !== 'cancel') out.push(relative('one entry long', () => { const v = slot.valid() as Float64Array; const C = v.constructor as Float64ArrayConstructor; const a = new C(v.length + 1); a.set(v); return a; }));
    const emptyNeverFits = ['features', 'cancel', 'factor', 'matrix', 'optF64'].includes(slot.kind);
    out.push({ what: 'a detached buffer', always: emptyNeverFits, value: () => detached(slot.valid() as Float64Array) });
  };
  switch (slot.kind) {
    case 'size':
    case 'count':
      out.push(...BAD_NUMBERS.map((x) => always(bad(String(x), () => x))), always(bad('true', () => true)));
      if (slot.kind === 'size') out.push(always(bad('0', () => 0)), always(bad('-0', () => -0)));
      out.push(relative('one more', () => (slot.valid() as number) + 1), relative('2^31 - 1', () => 2 ** 31 - 1));
      if (slot.kind === 'size') out.push(relative('one less', () => (slot.valid() as number) - 1));
      break;
    case 'number':
      out.push(...NON_FINITE.map((x) => always(bad(String(x), () => x))), always(bad('true', () => true)));
      break;
    case 'bool':
      out.push(...[0, 1, 'true', NaN].map((x) => always(bad(String(x), () => x))));
      break;
    case 'features':
      typed(['Float32Array', 'Float64Array']);
      for (const x of NON_FINITE) out.push({ what: `${x} in it`, always: true, value: poisoned(slot.valid, anywhere, x) });
      out.push({ what: `NaN in a Float32Array`, always: true, value: (rng) => { const a = Float32Array.from(feat()); a[rng.int(a.length)] = NaN; return a; } });
      out.push(always(bad('empty', () => new Float64Array(0))));
      break;
    case 'f64':
    case 'optF64':
    case 'factor':
      typed(['Float64Array']);
      for (const x of NON_FINITE) out.push({ what: `${x} in it`, always: true, value: poisoned(slot.valid, anywhere, x) });
      if (slot.kind === 'factor')
        for (const x of [0, -1, NaN]) out.push({ what: `${x} on the diagonal`, always: true, value: poisoned(slot.valid, diagonal, x) });
      break;
    case 'matrix': // non-finite or indefinite M reaches the Cholesky, which rejects (like the JS backend)
      typed(['Float64Array']);
      for (const x of [NaN, Infinity, -1]) out.push({ what: `${x} on the diagonal`, always: true, value: poisoned(slot.valid, diagonal, x) });
      break;
    case 'pairs':
    case 'optPairs': {
      typed(['Int32Array']);
      const withPair = (i: number, j: number) => () => { const a = new Int32Array(10); a.set(slot.valid() as Int32Array); a[8] = i; a[9] = j; return a; };
      out.push(always(bad('odd length', () => new Int32Array([0, 1, 2]))), always(bad('i = -1', withPair(-1, 2))), always(bad('i = j', withPair(2, 2))),
        always(bad('i > j', withPair(3, 1))), always(bad('j = 2^31 - 1', withPair(0, 2 ** 31 - 1))), relative('j = n', withPair(1, n)));
      break;
    }
    case 'rows': {
      typed(['Int32Array']);
      const withPair = (i: number, j: number) => () => { const a = new Int32Array(10); a.set(slot.valid() as Int32Array); a[8] = i; a[9] = j; return a; };
      out.push(always(bad('odd length', () => new Int32Array([0, 1, 2]))), always(bad('empty', () => new Int32Array(0))), always(bad('i = -1', withPair(-1, 2))),
        always(bad('j = 2^31 - 1', withPair(0, 2 ** 31 - 1))), relative('j = n', withPair(1, n)));
      break;
    }
    case 'cancel':
      typed(['Int32Array']);
      out.push(always(bad('an empty Int32Array', () => new Int32Array(0))));
      break;
    case 'ids':
      typed(['Int32Array']);
      break;
  }
  return out;
}

// n·d and d·d products that wrap to the array's length in 32-bit arithmetic.
const WRAPS: [string, Record<string, unknown>][] = [
  ['n·d = 2^32 with empty features', { features: new Float64Array(0), n: 2 ** 16, d: 2 ** 16 }],
  ['n·d ≡ 1 (mod 2^32) with one feature', { features: new Float64Array(1), n: 2 ** 31 - 1, d: 2 ** 31 - 1 }],
  ['d·d ≡ 1 (mod 2^32) with a 1-entry M/factor', { M: new Float64Array([1]), factor: new Float64Array([1]), d: 2 ** 31 - 1 }],
  ['n·d = 2^33 with empty features', { features: new Float32Array(0), n: 2 ** 31 - 1, d: 4 }],
];

interface Call { fn: string; args: unknown[]; broken: string[]; names: string[] }
function makeCall(rng: Rng, fn: string, slots: Slot[], t: number): Call {
  const args = slots.map((s) => s.valid());
  if (t % 50 === 7) {
    const [what, values] = WRAPS[rng.int(WRAPS.length)]!;
    // Only where the array the product must match is an argument (else the call is just valid).
    if (slots.some((s) => s.name in values && ['features', 'matrix', 'factor'].includes(s.kind))) {
      slots.forEach((s, i) => { if (s.name in values) args[i] = values[s.name]; });
      return { fn, args, broken: [what], names: [] };
    }
  }
  if (rng.next() < 0.08) {
    const required = slots.filter((s) => s.kind !== 'optF64' && s.kind !== 'optPairs' && s.kind !== 'cancel').length;
    const keep = rng.int(required);
    return { fn, args: args.slice(0, keep), broken: [`only ${keep} arguments`], names: slots.slice(keep).map((s) => s.name) };
  }
  // Distinct arguments: a second break of the same one would replace the first.
  const order = slots.map((_, i) => i);
  const count = Math.min(1 + rng.int(3), slots.length);
  const broken: string[] = [];
  const names: string[] = [];
  let anyAlways = false;
  for (let c = 0; c < count; c++) {
    const last = c === count - 1;
    const pick = c + rng.int(order.length - c);
    [order[c], order[pick]] = [order[pick]!, order[c]!];
    const i = order[c]!;
    const options = breakers(slots[i]!).filter((b) => b.always || !last || anyAlways);
    const b = options[rng.int(options.length)]!;
    anyAlways ||= b.always;
    args[i] = b.value(rng);
    broken.push(`${slots[i]!.name}: ${b.what}`);
    names.push(slots[i]!.name);
  }
  return { fn, args, broken, names: count === 1 && anyAlways ? names : [] };
}

type Outcome = { kind: 'threw' | 'rejected'; error: unknown } | { kind: 'resolved'; value: unknown } | { kind: 'hung' };
async function outcome(f: Fn, args: unknown[]): Promise<Outcome> {
  let result: unknown;
  try {
    result = f(...args);
  } catch (error) {
    return { kind: 'threw', error };
  }
  if (!(result instanceof Promise)) return { kind: 'resolved', value: result };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve({ kind: 'hung' }), ASYNC_LIMIT_MS); });
  try {
    return await Promise.race([result.then((value): Outcome => ({ kind: 'resolved', value }), (error): Outcome => ({ kind: 'rejected', error })), hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(skipReason !== undefined)(skipReason ? `native boundary fuzz (skipped: ${skipReason})` : `native boundary fuzz (${CALLS} calls, seed ${SEED})`, () => {
  it('the addon loads and every exported function has a fuzz spec', () => {
    expect(loaded?.info.reason).toBeUndefined();
    const fns = exported().map(([name]) => name);
    expect(fns).toEqual(expect.arrayContaining(['informationMatrix', 'cholesky', 'quadraticForms', 'greedy']));
    expect(fns.filter((name) => specOf(name) === undefined)).toEqual([]);
  });

  // CPU functions get the 10,000; the CUDA ones a share of their own, since without a usable GPU
  // they stop at "not available" before most checks.
  const cpu = exported().filter(([name]) => specOf(name) && !name.startsWith('cuda.'));
  const gpu = exported().filter(([name]) => specOf(name) && name.startsWith('cuda.'));
  const runs: [string, [string, Fn][], number, number][] = [
    ['CPU', cpu, CALLS, SEED],
    [`CUDA (${(addon?.cuda?.status as (() => { reason?: string }) | undefined)?.().reason ?? 'usable'})`, gpu, gpu.length > 0 ? 1000 : 0, SEED + 1],
  ];
  for (const [label, targets, calls, seed] of runs) {
    it.skipIf(calls === 0)(`${label}: ${calls} malformed calls each throw synchronously or reject, naming the argument`, async () => {
      const rng = new Rng(seed);
      const tally = { threw: 0, rejected: 0 };
      const failures: string[] = [];
      for (let t = 0; t < calls; t++) {
        const [name, f] = targets[t % targets.length]!;
        const call = makeCall(rng, name, specOf(name)!, t);
        const o = await outcome(f, call.args);
        const where = `#${t} ${name}(${call.broken.join('; ')})`;
        if (o.kind === 'resolved' || o.kind === 'hung') failures.push(`${where} ${o.kind}`);
        else {
          tally[o.kind]++;
          const message = o.error instanceof Error ? o.error.message : '';
          if (!(o.error instanceof Error) || message.length === 0) failures.push(`${where} ${o.kind} a non-Error ${String(o.error)}`);
          else if (o.kind === 'threw' && label === 'CPU' && call.names.length > 0 && !call.names.some((a) => message.includes(a)))
            failures.push(`${where} threw "${message}", which names none of ${call.names.join(', ')}`);
        }
      }
      expect(failures.slice(0, 20)).toEqual([]);
      expect(tally.threw + tally.rejected).toBe(calls);
      console.log(`native fuzz ${label}: ${calls} calls over ${targets.length} functions, ${tally.threw} threw, ${tally.rejected} rejected`);
    });
  }

  it('valid calls still give the right answer afterwards', async () => {
    const q = (await (addon.quadraticForms as Fn)(feat(), n, d, ident(2), S.pairs.valid())) as Float64Array;
    // With L = 2I, q = ‖φ_i − φ_j‖² / 4.
    const phi = feat();
    const pairs = S.pairs.valid();
    for (let p = 0; p < m; p++) {
      let sq = 0;
      for (let c = 0; c < d; c++) sq += (phi[pairs[2 * p]! * d + c]! - phi[pairs[2 * p + 1]! * d + c]!) ** 2;
      expect(q[p]).toBeCloseTo(sq / 4, 12);
    }
  });
});

// Big enough that the worker is still reading when the synchronous code after the call runs.
function bigProblem(): { features: Float64Array; nn: number; dd: number; pairs: Int32Array; weights: Float64Array; factor: Float64Array } {
  const rng = new Rng(7);
  const nn = 3000, dd = 32;
  const features = Float64Array.from({ length: nn * dd }, () => rng.normal());
  const list: number[] = [];
  for (let i = 0; i + 2 < nn; i++) list.push(i, i + 1, i, i + 2);
  const pairs = new Int32Array(list);
  // Zero weights matter: the kernel skips them, and a zero turned nonzero mid-call indexed row -1.
  const weights = Float64Array.from({ length: pairs.length / 2 }, (_, p) => (p % 3 === 0 ? 0 : 0.2));
  const factor = new Float64Array(dd * dd);
  for (let a = 0; a < dd; a++) factor[a * dd + a] = 3;
  return { features, nn, dd, pairs, weights, factor };
}

describe.skipIf(skipReason !== undefined)(skipReason ? `native arguments rewritten during a call (skipped: ${skipReason})` : 'native arguments rewritten during a call', () => {
  const rewrite = (pairs: Int32Array, weights?: Float64Array): void => {
    pairs.fill(2 ** 31 - 2);
    pairs[0] = -5;
    weights?.fill(1e6);
  };
  const fresh = bigProblem();
  const kernels: [string, (p: ReturnType<typeof bigProblem>) => Promise<unknown>, boolean][] = [
    ['informationMatrix', (p) => (addon.informationMatrix as Fn)(p.features, p.nn, p.dd, p.pairs, p.weights, 1) as Promise<unknown>, true],
    ['quadraticForms', (p) => (addon.quadraticForms as Fn)(p.features, p.nn, p.dd, p.factor, p.pairs) as Promise<unknown>, false],
    ['greedy (lazy)', (p) => (addon.greedy as Fn)(p.features, p.nn, p.dd, p.factor, p.pairs, p.weights.map((w) => w + 0.1), 40, true) as Promise<unknown>, false],
    ['greedy (plain)', (p) => (addon.greedy as Fn)(p.features, p.nn, p.dd, p.factor, p.pairs, p.weights.map((w) => w + 0.1), 40, false) as Promise<unknown>, false],
  ];
  for (const [name, call, usesWeights] of kernels) {
    it(`${name}: pairs${usesWeights ? ' and weights' : ''} rewritten after the call do not change what the worker reads`, async () => {
      const expected = await call(bigProblem());
      const p = bigProblem();
      const pending = call(p);
      rewrite(p.pairs, usesWeights ? p.weights : undefined);
      expect(await pending).toEqual(expected);
    });
  }
  it('an input transferred while the call runs makes it reject, not resolve with what the worker read', async () => {
    const p = bigProblem();
    const pending = (addon.quadraticForms as Fn)(p.features, p.nn, p.dd, p.factor, p.pairs) as Promise<unknown>;
    // The receiver stays referenced until the call settles: dropping it could free the memory
    // under the worker, which no Node-API addon can prevent (docs/reliability.md).
    const moved = structuredClone(p.features.buffer, { transfer: [p.features.buffer] });
    await expect(pending).rejects.toMatchObject({ code: 'ERR_INPUT_DETACHED', message: expect.stringMatching(/detached \(transferred\) while the call ran/) });
    expect(moved.byteLength).toBe(p.nn * p.dd * 8);
  });
  it('a resizable buffer (which can shrink under the worker) is refused', () => {
    const buffer = new ResizableBuffer(fresh.features.byteLength, { maxByteLength: fresh.features.byteLength });
    const features = new Float64Array(buffer);
    features.set(fresh.features);
    expect(() => (addon.quadraticForms as Fn)(features, fresh.nn, fresh.dd, fresh.factor, fresh.pairs)).toThrow(/features must not use a resizable ArrayBuffer/);
  });
});
