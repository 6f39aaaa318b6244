/**
 * Progress of a native selection: the kernel stores the picks made so far into an Int32Array slot
 * from its worker thread (there is no per-pick callback into JS); the main thread polls that slot
 * on a timer while the call is pending and reports changes.
 */
import type { PickProgress } from './interface.js';

const POLL_MS = 100;

export interface PolledProgress {
  /** The slot to hand to the kernel; undefined when nobody listens. */
  slot: Int32Array | undefined;
  /** Stops polling and reports the last value once more if it changed. */
  stop(): void;
}

export function pollProgress(onPicks: PickProgress | undefined): PolledProgress {
  if (!onPicks) return { slot: undefined, stop() {} };
  const slot = new Int32Array(1);
  let reported = 0;
  const report = (): void => {
    const done = slot[0]!;
    if (done !== reported) {
      reported = done;
      onPicks(done);
    }
  };
  // unref: a pending poll must not keep a process alive whose selection was abandoned.
  const timer = setInterval(report, POLL_MS);
  timer.unref();
  return {
    slot,
    stop() {
      clearInterval(timer);
      report();
    },
  };
}
