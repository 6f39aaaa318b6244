/**
 * Progress of a one-shot command as named phases (reading, fitting, selecting, writing). The engine
 * reports no finer progress, so the bar moves per phase. The bar appears only on a TTY stderr, so
 * pipelines and CI logs see just notes and errors. Notes wait until the command succeeds: a
 * failing command prints its one error line and nothing else.
 */
import cliProgress from 'cli-progress';

export interface Phases {
  next(name: string): void;
  note(text: string): void;
  /** Marks success: stop() then prints the notes. */
  succeeded(): void;
  stop(): void;
}

export function createPhases(total: number, stream: NodeJS.WriteStream = process.stderr): Phases {
  const bar = stream.isTTY
    ? new cliProgress.SingleBar({ format: '{bar} {value}/{total} {phase} ({duration_formatted})', stream, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  let ok = false;
  const notes: string[] = [];
  return {
    next(phase) {
      if (!bar) return;
      if (!started) bar.start(total, 0, { phase });
      else bar.increment(1, { phase });
      started = true;
    },
    note(text) {
      notes.push(text);
    },
    succeeded() {
      ok = true;
    },
    stop() {
      if (bar && started) {
        bar.increment(1, { phase: ok ? 'done' : 'failed' });
        bar.stop();
      }
      started = false;
      if (ok) for (const text of notes.splice(0)) stream.write(`note: ${text}\n`);
    },
  };
}
