#!/usr/bin/env node
/**
 * The `active-rm` command. Every error ends as one line on stderr and an exit code a pipeline can
 * branch on (see cli/errors.ts); --verbose adds the stack for bug reports.
 */
import { Command, CommanderError } from 'commander';
import { benchCommand } from './bench.js';
import { campaignCommand } from './campaign.js';
import { exitCodeFor, EXIT_OK, EXIT_USAGE, oneLine } from './errors.js';
import { infoCommand } from './info.js';
import { labelsCommand } from './labels.js';
import { selectCommand } from './select.js';
import { rejectUnknownOptions } from './unknown-options.js';
import { packageVersion } from './version.js';

/** Commands whose modules load quickly; simulate pulls in the plotting stack (vega, resvg). */
const LIGHT_COMMANDS = new Set(['select', 'info', 'bench', 'campaign', 'labels']);

/** The subcommand named in argv (first word that is not an option), if any. */
function commandName(argv: string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('active-rm')
    .description('pick the preference pairs worth labeling (D-optimal design for Bradley–Terry reward models)')
    .version(packageVersion(), '-V, --version')
    .option('--verbose', 'print stack traces with errors')
    .showSuggestionAfterError(true);
  program.addCommand(selectCommand());
  program.addCommand(infoCommand());
  program.addCommand(benchCommand());
  program.addCommand(campaignCommand());
  program.addCommand(labelsCommand());
  // Load simulate only when it can be used or listed (top-level help, unknown commands), so that
  // select/info start in a fraction of the time.
  const name = commandName(argv);
  const versionOnly = name === undefined && (argv.includes('-V') || argv.includes('--version'));
  if (!versionOnly && (name === undefined || !LIGHT_COMMANDS.has(name))) {
    const { simulateCommand } = await import('./simulate.js');
    program.addCommand(simulateCommand());
  }
  applyEverywhere(program);
  program.hook('preSubcommand', (_program, sub) => {
    const at = argv.indexOf(sub.name(), 2);
    rejectUnknownOptions(sub, at < 0 ? [] : argv.slice(at + 1), program.options);
  });
  return program;
}

/** Commands built elsewhere (addCommand) do not inherit settings, so set them on the whole tree. */
function applyEverywhere(cmd: Command): void {
  // Throw instead of process.exit, so main() alone decides exit codes.
  cmd.exitOverride();
  cmd.configureHelp({ showGlobalOptions: true });
  // One line per error: commander puts "(Did you mean …?)" on a line of its own.
  cmd.configureOutput({
    outputError: (text, write) => {
      const line = text.trim().replace(/\s*\n\s*/g, ' ');
      write(`${line.startsWith('active-rm') ? line : `active-rm: ${line}`}\n`);
    },
  });
  for (const sub of cmd.commands) applyEverywhere(sub);
}

/** Errors thrown by other modules' own UsageError classes count as usage too. */
function isUsageByName(err: unknown): boolean {
  return err instanceof Error && (err.constructor.name === 'UsageError' || err.name === 'UsageError');
}

async function main(argv: string[]): Promise<void> {
  const verbose = argv.includes('--verbose');
  // `active-rm select … | head` closes stdout early; that is not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw err;
  });
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help/version text).
      process.exitCode = err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return;
    }
    process.exitCode = isUsageByName(err) ? EXIT_USAGE : exitCodeFor(err);
    const text = verbose && err instanceof Error && err.stack ? err.stack : oneLine(err);
    process.stderr.write(`active-rm: error: ${text}\n`);
  }
}

await main(process.argv);
