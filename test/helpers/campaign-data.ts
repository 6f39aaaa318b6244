/** Small campaign inputs written to a temp folder: embeddings, responses.jsonl, and a hidden true reward to label with. */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../lib/io/npy.js';
import { Rng } from '../../lib/math/rng.js';

/** Why campaign tests cannot run here, or undefined when better-sqlite3 loads. */
export function sqliteMissing(): string | undefined {
  try {
    createRequire(import.meta.url)('better-sqlite3');
    return undefined;
  } catch (err) {
    return `better-sqlite3 (optional dependency) does not load: ${(err as Error).message.split('\n')[0]}`;
  }
}

export const DIM = 4;
export const TRUE_W = [1, -0.5, 0.25, 2];

export interface Round {
  embeddings: string;
  responses: string;
  features: Float32Array;
}

/** Writes `prompts` prompts × `per` responses with ids `${tag}-${k}` and prompt ids `${tag}-p${p}`. */
export function writeRound(dir: string, tag: string, prompts: number, per: number, seed: number): Round {
  const rng = new Rng(seed);
  const n = prompts * per;
  const features = new Float32Array(n * DIM);
  for (let k = 0; k < features.length; k++) features[k] = rng.normal();
  const embeddings = join(dir, `${tag}.npy`);
  const responses = join(dir, `${tag}.jsonl`);
  writeNpy(embeddings, features, [n, DIM]);
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const p = Math.floor(k / per);
    lines.push(JSON.stringify({ id: `${tag}-${k}`, prompt_id: `${tag}-p${p}`, prompt: `question ${tag}-${p}`, response: `answer ${tag}-${k}` }));
  }
  writeFileSync(responses, lines.join('\n') + '\n');
  return { embeddings, responses, features };
}
