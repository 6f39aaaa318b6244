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
  /** The prior may be standardized: the rules then get a float64 copy of φ / s (n×d). */
  standardized?: boolean;
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
  const scaledCopy = s.standardized && s.method !== 'coreset' ? n * d * 8 : 0;
  return poolBytes + stage + scaledCopy + 4 * d * d * 8;
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
