/**
 * The `onProgress` hook of selectPairs: one call when each phase starts, then picks made / k while
 * the rule picks. Pick updates are thrown away when they come faster than a display can use (the
 * TypeScript greedy reports every pick); the last one always goes through. A callback that throws
 * must not become an uncaught exception on a timer, so its first error is kept and selectPairs
 * rejects with it when the current step returns.
 */
import type { SelectPhase, SelectProgress } from '../types.js';

const MIN_INTERVAL_MS = 50;

export interface ProgressReporter {
  phase(phase: SelectPhase, total: number): void;
  /** Picks made so far in the 'select' phase; undefined when nobody listens (rules skip the work). */
  picks: ((done: number) => void) | undefined;
  /** Throws the callback's first error, if it threw. */
  check(): void;
}

export function requireProgressCallback(value: unknown): ((p: SelectProgress) => void) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function')
    throw new TypeError(`onProgress must be a function called with { phase, done, total }; got ${typeof value}`);
  return value as (p: SelectProgress) => void;
}

export function progressReporter(onProgress: ((p: SelectProgress) => void) | undefined): ProgressReporter {
  if (!onProgress) return { phase() {}, picks: undefined, check() {} };
  let failure: { error: unknown } | undefined;
  let current: SelectPhase = 'pool';
  let total = 0;
  let last = -Infinity;
  const emit = (p: SelectProgress): void => {
    if (failure) return;
    try {
      onProgress(p);
    } catch (error) {
      failure = { error };
    }
  };
  return {
    phase(phase, phaseTotal) {
      current = phase;
      total = phaseTotal;
      last = performance.now();
      emit({ phase, done: 0, total });
    },
    picks(done) {
      const now = performance.now();
      if (done < total && now - last < MIN_INTERVAL_MS) return;
      last = now;
      emit({ phase: current, done, total });
    },
    check() {
      if (failure) throw failure.error;
    },
  };
}
