import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, oneLine, UsageError } from '../lib/cli/errors.js';
import { InputFileError } from '../lib/io/errors.js';

describe('exit codes', () => {
  it('maps bad input to 2 and everything else to 1', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new InputFileError('f.npy', 'x'))).toBe(2);
    expect(exitCodeFor(new TypeError('x'))).toBe(2);
    expect(exitCodeFor(new RangeError('x'))).toBe(2);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', 'x'))).toBe(0);
    expect(exitCodeFor(new Error('disk on fire'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
  });

  it('keeps the first line of a message only', () => {
    expect(oneLine(new Error('first\nsecond'))).toBe('first');
    expect(oneLine('plain')).toBe('plain');
  });
});
