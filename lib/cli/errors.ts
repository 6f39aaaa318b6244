/**
 * Exit codes: 0 success, 2 bad usage (the user can fix it by changing arguments or input files),
 * 1 anything else. The engine signals bad inputs with TypeError/RangeError, so those count as usage.
 */
import { CommanderError } from 'commander';
import { InputFileError } from '../io/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A bad argument or option combination, found by the CLI itself. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (err instanceof UsageError || err instanceof InputFileError) return EXIT_USAGE;
  if (err instanceof TypeError || err instanceof RangeError) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** The one line printed on stderr: the message only, its first line, no stack. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.trim() || (err instanceof Error ? err.name : 'error');
}
