/**
 * The fused design calls (greedyDesign, doptScores) written as the sequence of basic kernels they
 * fuse: the reference semantics of the fused native entries, and what a backend without a fused
 * entry runs. The order of the sums matches cpp/design/design_selection.cpp, so both round alike.
 */
import type { Backend, DoptScoresArgs, DoptScoresResult, GreedyDesignArgs, GreedyDesignResult } from './interface.js';

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
