/**
 * Derived seeds. Every random draw of a campaign is keyed by (seed, purpose, round, …) rather than
 * taken from one running stream, so the pools, the label noise and the test draws are the same for
 * every rule at a given seed: rules differ only by what they pick, never by luck of the stream.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    // Two 32-bit halves so that pair indices beyond 2^32 still mix (they do not occur today).
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = Math.imul(h ^ lo, 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ hi, 0x01000193) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/** Purposes, so that no two kinds of draw share a stream. */
export const PURPOSE = { split: 1, pool: 2, label: 3, select: 4, bon: 5, model: 6 } as const;
