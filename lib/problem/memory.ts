/**
 * Footprint of a selection, known before any work starts, so that an oversized request is refused
 * with a figure instead of ending in an out-of-memory kill.
 */
import type { Method } from '../types.js';
import { requirePositive } from './validate.js';

export interface SizeEstimate {
  method: Method;
  n: number;
  d: number;
  m: number;
  k: number;
  samples: number;
  /** A copy of the features the standardized prior selects on (φ/s), where that shape may be chosen. */
  shapedCopyBytes?: number;
}

/** Bytes the largest stage allocates (the TypeScript backend's figures; native uses less). */
export function estimateSelectionBytes(s: SizeEstimate): number {
  const { n, d, m, k } = s;
  const poolBytes = m * (8 /* pair */ + 8 /* λ */);
  const projected = n * d * 8;
  let stage: number;
  switch (s.method) {
    case 'greedy-dopt':
    case 'past-greedy-dopt':
      // Per candidate: q, the step its q is current at, a float32 bound, and a share of the head
      // (positions of the candidates run pick by pick) and of the TypeScript backend's copy of q₀;
      // one c vector per pick per response. Measured peak RSS growth is within 25 % of this
      // (test/memory-estimate.test.ts).
      stage = projected + m * (8 + 4 + 4 + 8) + k * n * 8 + k * d * 8;
      break;
    case 'dopt':
    case 'past-dopt':
    case 'xtx':
      stage = projected + 2 * n * d * 8 + m * 16;
      break;
    case 'coreset':
      stage = m * (8 * 8 + 8 * 3) + 8 * n * 8;
      break;
    case 'batchbald':
      stage = m * (s.samples * 8 + 8) + s.samples * n * 8;
      break;
    default:
      stage = m * 8;
  }
  return poolBytes + stage + 4 * d * d * 8 + (s.shapedCopyBytes ?? 0);
}

/**
 * Bytes of greedy-dopt over an implicit exhaustive pool (lib/problem/implicit-pool.ts): a float32
 * bound per pair of the whole triangle n(n−1)/2 (pairs within a prompt and labeled ones included),
 * the c history (n·k float64), the projected responses and the current metric's rows (n·d float64
 * each, plus float32 in native), and a head (typically a few thousand pairs; 64k allowed for). Independent of the pool's
 * own size otherwise: no pair, λ or q array exists.
 */
export function estimateImplicitSelectionBytes(s: Pick<SizeEstimate, 'n' | 'd' | 'k' | 'shapedCopyBytes'>): number {
  const { n, d, k } = s;
  const triangle = (n * (n - 1)) / 2;
  return triangle * 4 + n * k * 8 + n * d * (8 + 8 + 4) + n * 8 * 8 + 2 * k * d * 8 + 4 * d * d * 8 + 65_536 * 48 + (s.shapedCopyBytes ?? 0);
}

export function checkMemory(bytes: number, maxMemoryBytes: unknown): void {
  if (maxMemoryBytes === undefined) return;
  const limit = requirePositive(maxMemoryBytes, 'maxMemoryBytes');
  if (bytes > limit) {
    throw new RangeError(
      `this selection needs about ${formatBytes(bytes)} but maxMemoryBytes is ${formatBytes(limit)}; ` +
        'use a smaller pool (crossSample), a smaller k, or raise maxMemoryBytes',
    );
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}
