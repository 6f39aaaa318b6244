/**
 * A problem with a file the user handed us (missing, wrong format, wrong dtype or shape).
 * Kept apart from runtime failures so the CLI can answer "fix your input" (exit 2) instead of
 * "something broke" (exit 1).
 */
export class InputFileError extends Error {
  override name = 'InputFileError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}
