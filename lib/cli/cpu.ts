/**
 * CPU model and the SIMD features the native kernels can use. Linux reports flags in
 * /proc/cpuinfo; elsewhere only the model is known, which is said rather than guessed.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus } from 'node:os';

const INTERESTING = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_bf16', 'amx_tile', 'neon', 'asimd', 'sve'];

export interface CpuInfo {
  model: string;
  cores: number;
  arch: string;
  /** SIMD flags present; undefined when the OS does not say. */
  features?: string[];
}

export function cpuInfo(): CpuInfo {
  const list = cpus();
  const info: CpuInfo = { model: list[0]?.model.trim() ?? 'unknown', cores: list.length, arch: arch() };
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(text);
    if (line) {
      const flags = new Set(line[1]!.split(/\s+/));
      info.features = INTERESTING.filter((f) => flags.has(f));
    }
  } catch {
    // Not Linux: leave features undefined.
  }
  return info;
}
