/**
 * Turns .npy files into the arrays the engine takes, with messages that say which option is
 * wrong and how to fix the file (users mostly hold what PyTorch or numpy wrote).
 */
import type { FeatureArray } from '../types.js';
import { isColumnarPath, readColumnarEmbeddings } from '../io/columnar.js';
import { InputFileError } from '../io/errors.js';
import { readNpy as readNpyFile, type NpyArray } from '../io/npy.js';
import { UsageError } from './errors.js';

const FLOAT_DTYPES = new Set(['float16', 'float32', 'float64']);
const INT_DTYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

/** Reads a .npy for an option; file problems are reported with the option's name in front. */
function readNpy(path: string, option: string): NpyArray {
  return withOption(option, () => readNpyFile(path));
}

export function withOption<T>(option: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof InputFileError) throw new UsageError(`${option} ${err.message}`);
    throw err;
  }
}

const shapeText = (shape: readonly number[]): string => `(${shape.join(', ')})`;

export interface Embeddings {
  features: FeatureArray;
  /** 2-D [n, d] or 3-D [prompts, responses, d]. */
  shape: number[];
  n: number;
  d: number;
}

export function readEmbeddings(path: string): Embeddings {
  const arr = readNpy(path, '--embeddings');
  requireFloat(arr, '--embeddings', path);
  if (arr.shape.length !== 2 && arr.shape.length !== 3) {
    throw new UsageError(
      `--embeddings ${path}: shape ${shapeText(arr.shape)} is neither [n, d] nor [prompts, responses, d]; reshape it before saving`,
    );
  }
  const d = arr.shape[arr.shape.length - 1]!;
  const n = arr.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (n === 0 || d === 0) throw new UsageError(`--embeddings ${path}: shape ${shapeText(arr.shape)} holds no responses`);
  return { features: arr.data as FeatureArray, shape: arr.shape, n, d };
}

/** .npy, or a Parquet / Arrow IPC file whose `column` (or only list column) holds the embeddings. */
export async function loadEmbeddings(path: string, column?: string): Promise<Embeddings> {
  if (!isColumnarPath(path)) {
    if (column !== undefined) throw new UsageError(`--column ${column}: only Parquet and Arrow files have columns; ${path} is read as .npy`);
    return readEmbeddings(path);
  }
  try {
    const e = await readColumnarEmbeddings(path, column);
    return { features: e.features, shape: [e.n, e.d], n: e.n, d: e.d };
  } catch (err) {
    if (err instanceof InputFileError) throw new UsageError(`--embeddings ${err.message}`);
    throw err;
  }
}

/** Prompt ids, one per response of a 2-D embeddings file; any integer dtype, values ≥ 0. */
export function readPromptIds(path: string, n: number): Int32Array {
  const arr = readNpy(path, '--prompts');
  if (!INT_DTYPES.has(arr.dtype) || arr.shape.length !== 1) {
    const hint = FLOAT_DTYPES.has(arr.dtype) && arr.shape.length === 2 ? ' (that looks like prompt embeddings)' : '';
    throw new UsageError(
      `--prompts ${path}: expected a 1-D integer array of prompt ids, one per response; got ${arr.dtype} ${shapeText(arr.shape)}${hint}`,
    );
  }
  if (arr.shape[0] !== n) {
    throw new UsageError(`--prompts ${path}: has ${arr.shape[0]} ids but --embeddings has ${n} responses; give one id per row`);
  }
  return toInt32(arr, '--prompts', path);
}

/** The last layer's weights w: d values (shapes (d,), (1, d) and (d, 1) are all accepted). */
export function readHead(path: string, d: number): FeatureArray {
  const arr = readNpy(path, '--head');
  requireFloat(arr, '--head', path);
  const size = arr.shape.reduce((a, b) => a * b, 1);
  if (size !== d || arr.shape.filter((s) => s !== 1).length > 1) {
    throw new UsageError(`--head ${path}: shape ${shapeText(arr.shape)} does not match the embeddings' d = ${d}; save the last layer's weights as a vector of length ${d}`);
  }
  return arr.data as FeatureArray;
}

/** Explicit candidate pairs from an [m, 2] integer .npy. */
export function readPairArray(path: string, option: string): Int32Array {
  const arr = readNpy(path, option);
  if (!INT_DTYPES.has(arr.dtype) || arr.shape.length !== 2 || arr.shape[1] !== 2) {
    throw new UsageError(`${option} ${path}: expected an [m, 2] integer array of (i, j) pairs; got ${arr.dtype} ${shapeText(arr.shape)}`);
  }
  return toInt32(arr, option, path);
}

function requireFloat(arr: NpyArray, option: string, path: string): void {
  if (!FLOAT_DTYPES.has(arr.dtype)) {
    throw new UsageError(`${option} ${path}: dtype ${arr.dtype} is not a float type; save it as float32 (x.astype(np.float32))`);
  }
}

function toInt32(arr: NpyArray, option: string, path: string): Int32Array {
  const out = new Int32Array(arr.data.length);
  for (let k = 0; k < out.length; k++) {
    const v = Number(arr.data[k]);
    if (v < 0 || v > 0x7fffffff) throw new UsageError(`${option} ${path}: value ${v} at position ${k} is not a non-negative 32-bit index`);
    out[k] = v;
  }
  return out;
}
