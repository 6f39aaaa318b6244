// cli-progress ships no types and @types/cli-progress is not a dependency; this covers what
// report/progress.ts and cli/phases.ts use.
declare module 'cli-progress' {
  interface Options {
    format?: string;
    stream?: NodeJS.WriteStream;
    hideCursor?: boolean;
    etaBuffer?: number;
    clearOnComplete?: boolean;
    fps?: number;
  }
  class SingleBar {
    constructor(opts: Options, preset?: object);
    start(total: number, start: number, payload?: Record<string, unknown>): void;
    increment(step?: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    stop(): void;
  }
  const Presets: { shades_classic: object };
  const _default: { SingleBar: typeof SingleBar; Presets: typeof Presets };
  export default _default;
  export type { SingleBar };
}
