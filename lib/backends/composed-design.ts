/**
 * The fused design calls (greedyDesign, doptScores) written as the sequence of basic kernels they
 * fuse: the reference semantics of the fused native entries, and what a backend without a fused
 * entry runs. The order of the sums matches cpp/design/design_selection.cpp, so both round alike.
 */
import type {
  Backend,
  DoptScoresArgs,
  DoptScoresResult,
  GreedyDesignArgs,
  GreedyDesignResult,
  ImplicitGreedyDesignArgs,
  ImplicitGreedyDesignResult,
} from './interface.js';
import { implicitGreedy } from '../math/implicit-greedy.js';
import { inverseDiagonal, projectRows } from '../math/linalg.js';
import { inChunks, Yielder } from '../math/yielder.js';

type Kernels = Pick<Backend, 'informationMatrix' | 'cholesky' | 'quadraticForms' | 'greedy'>;

export async function composedGreedyDesign(kernels: Kernels, a: GreedyDesignArgs): Promise<GreedyDesignResult> {
  const M = await kernels.informationMatrix({
    features: a.features, n: a.n, d: a.d, pairs: a.past?.pairs ?? new Int32Array(0), weights: a.past?.lambdas ?? new Float64Array(0),
    ridge: a.ridge, signal: a.signal,
  });
  const { factor, logDet } = await kernels.cholesky(M, a.d);
  const { picks, quadratic, downdates } = await kernels.greedy({
    features: a.features, n: a.n, d: a.d, factor, pairs: a.pairs, lambdas: a.lambdas, k: a.k, lazy: a.lazy, signal: a.signal,
    onPicks: a.onPicks,
  });
  return { picks, quadratic, startLogDet: logDet, ...(downdates === undefined ? {} : { downdates }) };
}

/** greedyDesign over an implicit exhaustive pool: the kernels' M and factor, then the TypeScript
 * projection and implicit greedy (the reference; also what a backend without the kernel runs). */
export async function composedImplicitGreedyDesign(kernels: Pick<Kernels, 'informationMatrix' | 'cholesky'>, a: ImplicitGreedyDesignArgs): Promise<ImplicitGreedyDesignResult> {
  const M = await kernels.informationMatrix({
    features: a.features, n: a.n, d: a.d, pairs: a.past?.pairs ?? new Int32Array(0), weights: a.past?.lambdas ?? new Float64Array(0),
    ridge: a.ridge, signal: a.signal,
  });
  const { factor, logDet } = await kernels.cholesky(M, a.d);
  // Every response takes part in an exhaustive pool: all are projected.
  const invDiag = inverseDiagonal(factor, a.d);
  const Y = new Float64Array(a.n * a.d);
  const rows = Math.max(1, Math.floor((1 << 20) / Math.max(1, (a.d * a.d) / 2)));
  await inChunks(a.n, rows, new Yielder(a.signal), (s, e) => projectRows(a.features, a.d, factor, invDiag, Y, s, e));
  const r = await implicitGreedy({ Y, n: a.n, d: a.d, pool: a.pool, k: a.k, signal: a.signal, onPicks: a.onPicks });
  return { pairs: r.pairs, quadratic: r.quadratic, startLogDet: logDet, downdates: r.downdates };
}

export async function composedDoptScores(kernels: Kernels, a: DoptScoresArgs): Promise<DoptScoresResult> {
  const { features, n, d, signal } = a;
  const past = a.past && a.past.pairs.length > 0 ? a.past : undefined;
  let M: Float64Array;
  if (!a.poolInMatrix) {
    M = await kernels.informationMatrix({
      features, n, d, pairs: past?.pairs ?? new Int32Array(0), weights: past?.lambdas ?? new Float64Array(0), ridge: a.ridge, signal,
    });
  } else {
    // The past term enters as `base`, added after the candidates' sum, as the native kernel does.
    const base = past ? await kernels.informationMatrix({ features, n, d, pairs: past.pairs, weights: past.lambdas, ridge: 0, signal }) : undefined;
    M = await kernels.informationMatrix({ features, n, d, pairs: a.pairs, weights: a.weights, ridge: a.ridge, base, signal });
  }
  const { factor, logDet } = await kernels.cholesky(M, d);
  const quadratic = await kernels.quadraticForms({ features, n, d, factor, pairs: a.pairs, signal });
  return { quadratic, logDet };
}
