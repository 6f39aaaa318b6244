/**
 * Empirical Bayes for the ridge of the linear head: the Laplace approximation of the marginal
 * likelihood of the labels under the prior w ~ N(0, I/τ),
 *
 *   log p(y | τ) ≈ log p(y | ŵ_τ) − τ/2 ‖ŵ_τ‖² + d/2 log τ − ½ log det(τI + Σ λ_p v_p v_pᵀ),
 *
 * with ŵ_τ the ridge fit and λ_p = σ'(ŵ_τᵀv_p). The (2π)^{d/2} of the prior and of the Gaussian
 * integral cancel. The Hessian in the last term is the engine's M, so the τ chosen here is the one
 * the rules should use with that head.
 */
import { informationMatrix } from '../math/fisher.js';
import { cholesky } from '../math/linalg.js';
import { pairSpace, weightedGram, type HeadProblem } from './linear-newton.js';
import { sigmoid } from './logistic.js';

/** The Laplace log evidence at the optimum w of prob (loss = the ridge objective at w). */
export function laplaceLogEvidence(prob: HeadProblem, w: Float64Array, loss: number): number {
  const { phi, d, local, ridge } = prob;
  const m = local.length / 2;
  const lam = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    const ri = local[2 * p]! * d;
    const rj = local[2 * p + 1]! * d;
    let margin = 0;
    for (let k = 0; k < d; k++) margin += w[k]! * (phi[ri + k]! - phi[rj + k]!);
    const s = sigmoid(margin);
    lam[p] = s * (1 - s);
  }
  return -loss + 0.5 * d * Math.log(ridge) - 0.5 * logDetHessian(prob, lam);
}

/** log det(τI_d + SᵀS), S = Λ^½V, through whichever of the d×d or m×m systems is smaller
 * (det(τI_d + SᵀS) = τ^{d−m} det(τI_m + SSᵀ)). */
function logDetHessian(prob: HeadProblem, lam: Float64Array): number {
  const { phi, n, d, local, ridge } = prob;
  const m = lam.length;
  if (m >= d) return factorLogDet(cholesky(informationMatrix(phi, n, d, local, lam, ridge), d).factor, d);
  if (m === 0) return d * Math.log(ridge);
  const G = weightedGram(pairSpace(prob).gram, Float64Array.from(lam, Math.sqrt), ridge);
  return (d - m) * Math.log(ridge) + factorLogDet(cholesky(G, m).factor, m);
}

function factorLogDet(L: Float64Array, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += Math.log(L[k * d + k]!);
  return 2 * s;
}

/**
 * The centre of the ridge search and the default before any label: τ₀ = mean ‖v_p‖² over the
 * given pairs, i.e. the prior N(0, I/τ₀) gives their margins wᵀv a spread of about 1 (a sizeable
 * but not certain preference). It scales with ‖φ‖², so multiplying φ by c multiplies τ₀ by c² and
 * leaves the prior on margins, the posterior's shape and every pick unchanged.
 */
export function priorScaleRidge(features: ArrayLike<number>, d: number, pairs: ArrayLike<number>): number {
  const m = pairs.length / 2;
  let s = 0;
  for (let p = 0; p < m; p++) {
    const ri = pairs[2 * p]! * d;
    const rj = pairs[2 * p + 1]! * d;
    for (let k = 0; k < d; k++) {
      const v = features[ri + k]! - features[rj + k]!;
      s += v * v;
    }
  }
  const tau = s / Math.max(m, 1);
  // No pairs, or pairs of identical responses: any τ is as good; 1 keeps M well defined.
  return tau > 0 && Number.isFinite(tau) ? tau : 1;
}

/** Searched range around τ₀, in decades each way. The evidence is smooth and, in practice,
 * unimodal in log τ; the coarse grid guards against a poor start, golden section refines. */
const DECADES = 3;
const GRID_PER_DECADE = 2;
const LOG_TOL = 0.01 * Math.LN10;

/**
 * Maximizes the log evidence over log τ ∈ log τ₀ ± 3 decades: a half-decade grid, then golden
 * section within the best grid point's neighbours. A generator so that the synchronous and the
 * backend-driven trainers share it: it yields a τ, is resumed with the log evidence there, and
 * returns the best τ seen. Callers warm-start each fit from the previous one, so the ~25 fits
 * cost a few Newton steps each.
 */
export function* ridgeSearch(tau0: number): Generator<number, number, number> {
  const centre = Math.log(tau0);
  const steps = DECADES * GRID_PER_DECADE;
  const h = Math.LN10 / GRID_PER_DECADE;
  const seen = new Map<number, number>();
  const at = function* (x: number): Generator<number, number, number> {
    const cached = seen.get(x);
    if (cached !== undefined) return cached;
    const e = yield Math.exp(x);
    seen.set(x, e);
    return e;
  };
  let bestX = centre;
  let bestE = -Infinity;
  for (let t = -steps; t <= steps; t++) {
    const x = centre + t * h;
    const e = yield* at(x);
    if (e > bestE) {
      bestE = e;
      bestX = x;
    }
  }
  let lo = Math.max(centre - steps * h, bestX - h);
  let hi = Math.min(centre + steps * h, bestX + h);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let ea = yield* at(a);
  let eb = yield* at(b);
  while (hi - lo > LOG_TOL) {
    if (ea >= eb) {
      hi = b;
      b = a;
      eb = ea;
      a = hi - g * (hi - lo);
      ea = yield* at(a);
    } else {
      lo = a;
      a = b;
      ea = eb;
      b = lo + g * (hi - lo);
      eb = yield* at(b);
    }
  }
  for (const [x, e] of seen) {
    if (e > bestE) {
      bestE = e;
      bestX = x;
    }
  }
  return Math.exp(bestX);
}
