/**
 * Progress of a one-shot command as named phases (reading, fitting, selecting, writing). The engine
 * reports no finer progress, so the bar moves per phase. Only on a TTY stderr: pipelines and
 * CI logs get nothing, keeping stderr for errors and notes.
 */
import cliProgress from 'cli-progress';

export interface Phases {
  next(name: string): void;
  stop(): void;
  /** Prints a note without tearing the bar. */
  note(text: string): void;
}

export function createPhases(total: number, stream: NodeJS.WriteStream = process.stderr): Phases {
  if (!stream.isTTY) {
    return { next() {}, stop() {}, note: (text) => void stream.write(`note: ${text}\n`) };
  }
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} {phase}', stream, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const notes: string[] = [];
  return {
    next(name) {
      if (!started) {
        bar.start(total, 0, { phase: name });
        started = true;
      } else bar.increment(1, { phase: name });
    },
    stop() {
      if (started) bar.stop();
      started = false;
      for (const text of notes.splice(0)) stream.write(`note: ${text}\n`);
    },
    note(text) {
      notes.push(text);
    },
  };
}
