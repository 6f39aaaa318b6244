/**
 * Progress while a run goes: a bar with rule, seed, round and ETA on a terminal; on anything else
 * (CI logs, pipes) one plain line per finished campaign, so logs stay readable.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  round(rule: string, seed: number, round: number, rounds: number): void;
  campaignDone(rule: string, seed: number, ms: number): void;
  stop(): void;
}

export function createProgress(totalRounds: number, stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { round() {}, campaignDone() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'simulate |{bar}| {percentage}% | {rule} seed {seed} round {round} | ETA {eta_formatted}', stream, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(totalRounds, 0, { rule: '', seed: '', round: '' });
    return {
      round(rule, seed, round, rounds) {
        bar.increment(1, { rule, seed, round: `${round + 1}/${rounds}` });
      },
      campaignDone() {},
      stop() {
        bar.stop();
      },
    };
  }
  let done = 0;
  const t0 = performance.now();
  return {
    round() {
      done++;
    },
    campaignDone(rule, seed, ms) {
      const elapsed = (performance.now() - t0) / 1000;
      const eta = done > 0 ? (elapsed / done) * (totalRounds - done) : NaN;
      stream.write(`simulate: ${rule} seed ${seed} done in ${(ms / 1000).toFixed(1)} s (${done}/${totalRounds} rounds, ETA ${Number.isFinite(eta) ? eta.toFixed(0) : '?'} s)\n`);
    },
    stop() {},
  };
}
