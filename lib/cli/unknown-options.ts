/**
 * Unknown options before missing ones. Commander checks required options first, so a misspelled
 * required flag (`--embedings`) was reported as the correct one missing. This runs as the
 * program's preSubcommand hook and rejects the first option the subcommand does not know, the way
 * commander would, with its suggestion.
 */
import type { Command, Option } from 'commander';

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** Throws through commander (exit code and one-line output as its own errors) on the first unknown option in args. */
export function rejectUnknownOptions(command: Command, args: readonly string[], inherited: readonly Option[]): void {
  if (command.commands.length > 0) return; // nested subcommands: commander's own check applies
  const options = [...command.options, ...inherited];
  const byFlag = new Map<string, Option>();
  for (const o of options) for (const flag of [o.long, o.short]) if (flag) byFlag.set(flag, o);
  for (const flag of ['-h', '--help']) byFlag.set(flag, { required: false, optional: false } as Option);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return;
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) continue;
    const flag = arg.startsWith('--') ? arg.split('=')[0]! : arg.slice(0, 2);
    const option = byFlag.get(flag);
    if (option) {
      // The next word is this option's value, even when it starts with '-' (--ridge -1).
      if (option.required && !arg.includes('=') && arg.length === flag.length) i++;
      continue;
    }
    const longs = options.map((o) => o.long).filter((l): l is string => Boolean(l));
    const best = longs.map((l) => [l, distance(flag, l)] as const).sort((x, y) => x[1] - y[1])[0];
    const hint = best && best[1] <= Math.max(1, Math.floor(flag.length * 0.4)) ? `\n(Did you mean ${best[0]}?)` : '';
    command.error(`error: unknown option '${flag}'${hint}`, { code: 'commander.unknownOption', exitCode: 1 });
  }
}
