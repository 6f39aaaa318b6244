/** Runs the built CLI (dist/cli/main.js) as a user would: a subprocess, with exit code and both streams. */
import { HH_RESPONSES } from './helpers/shared-data.js';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const HH = HH_RESPONSES;

/** `npm test` builds before vitest; a bare `npx vitest run` on a fresh clone builds here once. */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd = ROOT): Promise<CliResult> {
  return runCommand(process.execPath, [CLI, ...args], cwd);
}

/** Any program, with the exit code instead of a rejection (for `npx active-rm` as a user runs it). */
export function runCommand(file: string, args: string[], cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Non-empty stderr lines: bad usage must produce exactly one. */
export const stderrLines = (r: CliResult): string[] => r.stderr.split('\n').filter((l) => l.trim() !== '');
