/** Datasets from files: an embedding dump directory, or a labeled-pairs .npy. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError } from '../io/errors.js';
import { readNpy, type NpyArray } from '../io/npy.js';
import type { Dataset, PairDataset, PromptDataset } from './types.js';

function floatFeatures(arr: NpyArray, file: string): Float32Array | Float64Array {
  if (arr.data instanceof Float32Array || arr.data instanceof Float64Array) {
    for (let t = 0; t < arr.data.length; t++) {
      if (!Number.isFinite(arr.data[t]!)) throw new InputFileError(file, `element ${t} is ${arr.data[t]}; embeddings must be finite`);
    }
    return arr.data;
  }
  throw new InputFileError(file, `dtype ${arr.dtype}; embeddings must be float16, float32 or float64`);
}

/** DIR/embeddings.npy [prompts, responses, d] and DIR/rewards.npy [prompts, responses(, 1)]. */
export function loadEmbeddingDir(dir: string): PromptDataset {
  const ef = join(dir, 'embeddings.npy');
  const rf = join(dir, 'rewards.npy');
  for (const f of [ef, rf]) if (!existsSync(f)) throw new InputFileError(f, 'missing; a dataset directory needs embeddings.npy [prompts, responses, d] and rewards.npy [prompts, responses]');
  const e = readNpy(ef);
  if (e.shape.length !== 3) throw new InputFileError(ef, `shape [${e.shape}]; expected [prompts, responses, d]`);
  const [P, R, d] = e.shape as [number, number, number];
  if (R < 2) throw new InputFileError(ef, `${R} response per prompt; ranking needs at least 2`);
  const r = readNpy(rf);
  const okShape = r.shape.length >= 2 && r.shape[0] === P && r.shape[1] === R && (r.shape.length === 2 || (r.shape.length === 3 && r.shape[2] === 1));
  if (!okShape) throw new InputFileError(rf, `shape [${r.shape}]; expected [${P}, ${R}] or [${P}, ${R}, 1] to match embeddings.npy`);
  const golden = new Float64Array(P * R);
  for (let i = 0; i < golden.length; i++) {
    const v = Number(r.data[i]!);
    if (!Number.isFinite(v)) throw new InputFileError(rf, `reward ${i} is ${v}; rewards must be finite`);
    golden[i] = v;
  }
  return { kind: 'prompts', name: dir, features: floatFeatures(e, ef), dim: d, prompts: P, responses: R, golden };
}

/** FILE.npy [pairs, 2, d], [p, 0] the preferred response. */
export function loadPairFile(file: string): PairDataset {
  const a = readNpy(file);
  if (a.shape.length !== 3 || a.shape[1] !== 2) throw new InputFileError(file, `shape [${a.shape}]; a labeled-pairs file must be [pairs, 2, d] with [p, 0] the preferred response`);
  const [m, , d] = a.shape as [number, number, number];
  if (m < 4) throw new InputFileError(file, `${m} pairs; need at least 4 to split into train and test`);
  return { kind: 'pairs', name: file, features: floatFeatures(a, file), dim: d, pairs: m };
}

/** `synthetic`, a directory, or a .npy file. */
export async function loadDataset(spec: string): Promise<Dataset> {
  if (spec === 'synthetic') return (await import('./synthetic.js')).syntheticDataset();
  if (!existsSync(spec)) throw new InputFileError(spec, "no such file or directory; --dataset takes 'synthetic', a directory with embeddings.npy + rewards.npy, or a [pairs, 2, d] .npy file");
  return statSync(spec).isDirectory() ? loadEmbeddingDir(spec) : loadPairFile(spec);
}
