/**
 * The phase display of `select` / `campaign next` (lib/cli/phases.ts) on a terminal and off one,
 * driven directly with a stream that says it is (or is not) a TTY.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPhases } from '../lib/cli/phases.js';

function fakeStream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const pass = new PassThrough();
  const chunks: string[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  Object.assign(pass, { isTTY: tty, columns: 120 });
  // eslint-disable-next-line no-control-regex
  return { stream: pass as unknown as NodeJS.WriteStream, text: () => chunks.join('').replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '') };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('command phases', () => {
  it('on a terminal: a bar with picks done / k and an ETA while the selection runs', async () => {
    const { stream, text } = fakeStream(true);
    const phases = createPhases({ command: 'select', count: 2, stream });
    phases.next('reading inputs');
    phases.next('selecting 40 pairs (greedy-dopt)', 40);
    phases.update(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    phases.update(10);
    // cli-progress redraws on its own timer (5 frames a second here).
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(text()).toMatch(/\[2\/2\] selecting 40 pairs \(greedy-dopt\) \|.*\| 10\/40 picks \| \d+\.\d s, ETA \d+\.\d s/);
    phases.update(40);
    phases.note('wrote 40 pairs');
    phases.succeeded();
    phases.stop();
    await tick();
    const out = text();
    expect(out).toMatch(/\[1\/2\] reading inputs \d+\.\d\d s/);
    expect(out).toMatch(/40\/40 picks \| \d+\.\d\d s/);
    expect(out).toMatch(/note: wrote 40 pairs\n$/);
  });

  it('off a terminal: one plain line per finished phase, notes after success', async () => {
    const { stream, text } = fakeStream(false);
    const phases = createPhases({ command: 'campaign next', count: 3, stream });
    phases.next('reading the store');
    phases.next('selecting 7 pairs (random)', 7);
    phases.update(0);
    phases.update(3);
    phases.update(7);
    phases.next('writing');
    phases.note('round 2');
    phases.succeeded();
    phases.stop();
    await tick();
    expect(text().trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^campaign next: \[1\/3\] reading the store \(\d+\.\d\d s\)$/),
      expect.stringMatching(/^campaign next: \[2\/3\] selecting 7 pairs \(random\): 7\/7 picks \(\d+\.\d\d s\)$/),
      expect.stringMatching(/^campaign next: \[3\/3\] writing \(\d+\.\d\d s\)$/),
      'note: round 2',
    ]);
  });

  it('a failing command prints the finished phases only: no line for the failed one, no notes', async () => {
    const { stream, text } = fakeStream(false);
    const phases = createPhases({ command: 'select', count: 3, stream });
    phases.next('reading inputs');
    phases.next('selecting 5 pairs (greedy-dopt)', 5);
    phases.note('would have written');
    phases.stop();
    await tick();
    expect(text().trimEnd().split('\n')).toEqual([expect.stringMatching(/^select: \[1\/3\] reading inputs \(/)]);
  });

  it('quiet prints nothing, on a terminal or off', async () => {
    for (const tty of [true, false]) {
      const { stream, text } = fakeStream(tty);
      const phases = createPhases({ command: 'select', count: 1, stream, quiet: true });
      phases.next('selecting 2 pairs', 2);
      phases.update(2);
      phases.note('x');
      phases.succeeded();
      phases.stop();
      await tick();
      expect(text()).toBe('');
    }
  });
});
