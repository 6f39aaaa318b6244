#!/usr/bin/env node
/**
 * The `active-rm` command. Every error ends as one line on stderr and an exit code a pipeline can
 * branch on (see cli/errors.ts); --verbose adds the stack for bug reports.
 */
import { Command, CommanderError } from 'commander';
import { exitCodeFor, EXIT_OK, EXIT_USAGE, oneLine } from './cli/errors.js';
import { infoCommand } from './cli/info.js';
import { selectCommand } from './cli/select.js';
import { simulateCommand } from './cli/simulate.js';
import { packageVersion } from './cli/version.js';

function buildProgram(): Command {
  const program = new Command('active-rm')
    .description('pick the preference pairs worth labeling (D-optimal design for Bradley–Terry reward models)')
    .version(packageVersion(), '-V, --version')
    .option('--verbose', 'print stack traces with errors')
    .showSuggestionAfterError(true);
  program.addCommand(selectCommand());
  program.addCommand(simulateCommand());
  program.addCommand(infoCommand());
  applyEverywhere(program);
  return program;
}

/** Commands built elsewhere (addCommand) do not inherit settings, so set them on the whole tree. */
function applyEverywhere(cmd: Command): void {
  // Throw instead of process.exit, so main() alone decides exit codes.
  cmd.exitOverride();
  cmd.configureHelp({ showGlobalOptions: true });
  cmd.configureOutput({ outputError: (text, write) => write(`active-rm: ${text}`) });
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
    await buildProgram().parseAsync(argv);
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
