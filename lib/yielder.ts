/**
 * Cooperative yielding for long TypeScript-backend loops: gives the event loop a turn every few
 * milliseconds (timers keep firing during a selection) and honours an AbortSignal promptly.
 */
const SLICE_MS = 15;

export class Yielder {
  private last = performance.now();
  constructor(private readonly signal?: AbortSignal) {
    this.check();
  }

  check(): void {
    if (this.signal?.aborted) throw abortError(this.signal.reason);
  }

  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.last < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
    this.check();
  }
}

/** The error every cancelled operation rejects with (name 'AbortError', like fetch's). */
export function abortError(reason?: unknown): Error {
  const message = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'the operation was aborted';
  const err = new Error(`active-rm: ${message}`);
  err.name = 'AbortError';
  return err;
}
