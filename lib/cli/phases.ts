/**
 * Progress of a one-shot command (`select`, `campaign next`) as named phases, the selection phase
 * with a count (picks made / k). On a terminal (stderr a TTY): a bar per phase, left on screen when
 * the phase ends, with the count and an ETA while the count moves. Anywhere else (pipes, CI logs):
 * one plain line per finished phase, so a log shows where the time went and where a run stopped.
 * `quiet` prints neither. Notes wait until the command succeeds; a failing command adds only its
 * one error line (printed by the caller).
 */
import cliProgress, { type SingleBar } from 'cli-progress';

export interface Phases {
  /** Ends the current phase and starts the next; `total` when it will report a count. */
  next(name: string, total?: number): void;
  /** Progress within the current phase: `done` of its total (picks). done = 0 marks where the
   * counting starts (the ETA is taken from the rate since then, not since the phase began). */
  update(done: number): void;
  note(text: string): void;
  /** Marks success: stop() then prints the notes. */
  succeeded(): void;
  stop(): void;
}

export interface PhaseOptions {
  /** Prefix of the plain lines, e.g. `select`. */
  command: string;
  /** How many phases the command has (shown as [i/n]). */
  count: number;
  /** The count's unit, e.g. `picks`. */
  unit?: string;
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}

interface Current {
  name: string;
  index: number;
  total?: number;
  done: number;
  start: number;
  countStart: number;
  bar?: SingleBar;
}

export function createPhases(o: PhaseOptions): Phases {
  const stream = o.stream ?? process.stderr;
  const unit = o.unit ?? 'picks';
  const tty = stream.isTTY === true && !o.quiet;
  const plain = !stream.isTTY && !o.quiet;
  let current: Current | undefined;
  let index = 0;
  let ok = false;
  const notes: string[] = [];

  const seconds = (c: Current): string => `${((performance.now() - c.start) / 1000).toFixed(2)} s`;
  const counted = (c: Current): string => (c.total === undefined ? '' : `: ${c.done}/${c.total} ${unit}`);

  const end = (outcome: 'done' | 'failed'): void => {
    const c = current;
    current = undefined;
    if (!c) return;
    if (c.bar) {
      c.bar.update(c.done, { status: outcome === 'done' ? seconds(c) : `failed after ${seconds(c)}` });
      c.bar.stop();
    } else if (plain && outcome === 'done') {
      stream.write(`${o.command}: [${c.index}/${o.count}] ${c.name}${counted(c)} (${seconds(c)})\n`);
    }
  };

  const startBar = (c: Current): SingleBar => {
    const label = `[${c.index}/${o.count}] ${c.name}`;
    const format =
      c.total === undefined
        ? `${label} {status}`
        : `${label} |{bar}| {value}/{total} ${unit} | {status}`;
    const bar = new cliProgress.SingleBar(
      { format, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 20, fps: 5 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(c.total ?? 1, 0, { status: '…' });
    return bar;
  };

  return {
    next(name, total) {
      end('done');
      index++;
      const now = performance.now();
      current = { name, index, done: 0, start: now, countStart: now, ...(total === undefined ? {} : { total }) };
      if (tty) current.bar = startBar(current);
    },
    update(done) {
      const c = current;
      if (!c || c.total === undefined) return;
      if (done === 0) c.countStart = performance.now();
      if (done === c.done) return;
      c.done = done;
      if (c.bar) {
        const now = performance.now();
        const elapsed = (now - c.start) / 1000;
        // From the rate since counting began (pool building and τ are not picks).
        const eta = done > 0 ? ((now - c.countStart) / 1000 / done) * (c.total - done) : NaN;
        c.bar.update(done, { status: `${elapsed.toFixed(1)} s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(1)} s` : '?'}` });
      }
    },
    note(text) {
      notes.push(text);
    },
    succeeded() {
      ok = true;
    },
    stop() {
      end(ok ? 'done' : 'failed');
      if (ok && !o.quiet) for (const text of notes.splice(0)) stream.write(`note: ${text}\n`);
    },
  };
}
