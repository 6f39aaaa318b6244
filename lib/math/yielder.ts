/**
 * Cooperative yielding for long TypeScript-backend loops: gives the event loop a turn every few
 * milliseconds (timers keep firing during a selection) and honours an AbortSignal promptly.
 */
const SLICE_MS = 15;

// One clock for the whole process, not one per loop: what a timer waits for is the time since the
// event loop last had a turn, and a selection chains several loops (projection, scores, greedy),
// each of which would otherwise start a fresh slice right where the previous one ended.
let lastTurn = performance.now();

export class Yielder {
  constructor(private readonly signal?: AbortSignal) {
    this.check();
  }

  check(): void {
    if (this.signal?.aborted) throw abortError(this.signal.reason);
  }

  /** True when the current slice is used up; cheap enough to call in inner loops. */
  due(): boolean {
    return performance.now() - lastTurn >= SLICE_MS;
  }

  async yieldNow(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastTurn = performance.now();
    this.check();
  }

  async maybeYield(): Promise<void> {
    if (this.due()) await this.yieldNow();
  }
}

/** Runs body over [0, count) in chunks, giving the event loop a turn between chunks when due. */
export async function inChunks(
  count: number,
  chunk: number,
  yielder: Yielder,
  body: (start: number, end: number) => void,
): Promise<void> {
  for (let start = 0; start < count; start += chunk) {
    body(start, Math.min(count, start + chunk));
    await yielder.maybeYield();
  }
}

/** The error every cancelled operation rejects with (name 'AbortError', like fetch's). */
export function abortError(reason?: unknown): Error {
  const message = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'the operation was aborted';
  const err = new Error(`active-rm: ${message}`);
  err.name = 'AbortError';
  return err;
}

/** Throws the AbortError when the signal has fired. */
export function checkSignal(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal.reason);
}
