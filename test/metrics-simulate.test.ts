import { describe, expect, it } from 'vitest';
import { averageRanks, bestOfN, bonSizes, labelsToTarget, meanWithinSpearman, pairAccuracy, spearman } from '../lib/simulate/metrics.js';

describe('metrics', () => {
  it('average ranks share ties', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
  });

  it('Spearman with ties matches the hand computation', () => {
    // ranks a = [1, 2.5, 2.5, 4], b = [1, 2, 3, 4]; centered: [-1.5, 0, 0, 1.5] and [-1.5, -.5, .5, 1.5]
    // ρ = 4.5 / sqrt(4.5 · 5) = sqrt(0.9)
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(Math.sqrt(0.9), 14);
    expect(spearman([3, 2, 1], [1, 2, 3])).toBe(-1);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('averages Spearman over prompts, leaving out prompts with no defined correlation', () => {
    const pred = [1, 2, 3, 0, 0, 0, 3, 2, 1];
    const gold = [1, 2, 3, 1, 2, 3, 1, 2, 3];
    expect(meanWithinSpearman(pred, gold, [[0, 1, 2], [3, 4, 5], [6, 7, 8]])).toBe(0);
    expect(meanWithinSpearman(pred, gold, [[0, 1, 2], [3, 4, 5]])).toBe(1);
  });

  it('best-of-N caps N at the responses available and breaks argmax ties to the lower index', () => {
    const pred = [0.1, 0.9, 0.5, 0.9, 2, 1];
    const gold = [5, 1, 7, 3, 0, 4];
    const groups = [[0, 1, 2, 3], [4, 5]];
    // N = 500 ≥ responses: all of them; prompt 0 picks index 1 (tie with 3 → lower), prompt 1 picks 4.
    expect(bestOfN(pred, gold, groups, 500, 1)).toBe((1 + 0) / 2);
    expect(bestOfN(pred, gold, groups, 4, 9)).toBe(0.5);
    // N = 1: a uniformly drawn response per prompt, so the mean over many prompts is the mean gold.
    const many = Array.from({ length: 4000 }, (_, g) => [2 * g, 2 * g + 1]);
    const p2 = new Float64Array(8000);
    const g2 = Float64Array.from({ length: 8000 }, (_, i) => i % 2);
    expect(bestOfN(p2, g2, many, 1, 3)).toBeCloseTo(0.5, 1);
    expect(bonSizes(10)).toEqual([5, 10]);
    expect(bonSizes(2)).toEqual([2]);
    expect(bonSizes(1000)).toEqual([5, 10, 30, 50, 100, 300, 500]);
  });

  it('pair accuracy counts ties as one half; labels-to-target finds the first budget', () => {
    expect(pairAccuracy([3, 1, 2, 2], [0, 1, 2, 3, 1, 0])).toBeCloseTo(0.5, 15);
    expect(labelsToTarget([10, 20, 30], [0.1, 0.5, 0.4], 0.45)).toBe(20);
    expect(labelsToTarget([10, 20], [0.1, 0.2], 0.45)).toBeNull();
  });
});
