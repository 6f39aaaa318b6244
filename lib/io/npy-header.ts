/**
 * The .npy header (format versions 1.0, 2.0 and 3.0, as numpy.lib.format writes them):
 * magic "\x93NUMPY", version bytes, header length (u16 in v1, u32 in v2/v3), then a Python dict
 * literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (2312, 2, 512), } padded with
 * spaces and a newline so that the data starts on a 64-byte boundary.
 */
import { InputFileError } from './errors.js';

export interface NpyHeader {
  /** Byte order character as numpy writes it: '<', '>' or '|' (not applicable). */
  byteOrder: '<' | '>' | '|';
  /** Kind and size, e.g. 'f4', 'i8', 'b1'. */
  typeCode: string;
  fortranOrder: boolean;
  shape: number[];
  /** Offset of the first data byte in the file. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The fixed part before the dict: magic (6), version (2), header length (2 or 4). */
function preambleLength(major: number): number {
  return major === 1 ? 10 : 12;
}

export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) {
    throw new InputFileError(file, 'not a .npy file (no \\x93NUMPY magic); save it with numpy.save()');
  }
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3) {
    throw new InputFileError(file, `unsupported .npy format version ${major}.${bytes[7]} (1.0–3.0 are read)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pre = preambleLength(major);
  if (bytes.length < pre) throw new InputFileError(file, 'truncated .npy header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = pre + headerLength;
  if (bytes.length < dataOffset) throw new InputFileError(file, 'truncated .npy header');
  // v1/v2 headers are latin1, v3 utf8; the keys and values we read are ASCII either way.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(pre, dataOffset));
  return { ...parseDict(text, file), dataOffset };
}

function parseDict(text: string, file: string): Omit<NpyHeader, 'dataOffset'> {
  const descr = /['"]descr['"]\s*:\s*(['"]([^'"]*)['"]|\[)/.exec(text);
  if (!descr) throw new InputFileError(file, `malformed .npy header (no descr): ${text.trim()}`);
  if (descr[1] === '[') {
    throw new InputFileError(file, 'structured (record) arrays are not supported; save a plain numeric array');
  }
  const dtype = descr[2];
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(dtype);
  if (!m) throw new InputFileError(file, `unsupported dtype '${dtype}'`);
  if (m[2] === 'O') {
    throw new InputFileError(
      file,
      'object arrays (dtype O) are not supported; save a numeric array, e.g. np.save(path, np.asarray(x, dtype=np.float32))',
    );
  }
  // '=' means native order; numpy itself never writes it, but be exact about what it means.
  const order = m[1] === '=' ? '<' : m[1] === '' ? '|' : (m[1] as '<' | '>' | '|');

  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortran) throw new InputFileError(file, `malformed .npy header (no fortran_order): ${text.trim()}`);

  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeMatch) throw new InputFileError(file, `malformed .npy header (no shape): ${text.trim()}`);
  const shape = shapeMatch[1]
    .split(',')
    .map((s) => s.trim().replace(/L$/, '')) // Python 2 wrote long ints as 123L
    .filter((s) => s.length > 0)
    .map((s) => {
      const v = Number(s);
      if (!Number.isSafeInteger(v) || v < 0) throw new InputFileError(file, `malformed .npy shape '(${shapeMatch[1]})'`);
      return v;
    });

  return { byteOrder: order, typeCode: m[2] + m[3], fortranOrder: fortran[1] === 'True', shape };
}

/** Encodes a v1 header (v2 when the dict is too long for a u16 length), data aligned to 64 bytes. */
export function formatNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let major = 1;
  let total = alignedTotal(preambleLength(1), dict.length);
  if (total - preambleLength(1) > 0xffff) {
    major = 2;
    total = alignedTotal(preambleLength(2), dict.length);
  }
  const pre = preambleLength(major);
  const headerLength = total - pre;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  const padded = dict + ' '.repeat(headerLength - dict.length - 1) + '\n';
  for (let k = 0; k < padded.length; k++) out[pre + k] = padded.charCodeAt(k);
  return out;
}

function alignedTotal(pre: number, dictLength: number): number {
  return Math.ceil((pre + dictLength + 1) / 64) * 64;
}
