/**
 * .npy reader and writer (numpy.lib.format). Reads numeric C-order arrays of any byte order;
 * little-endian data whose offset is aligned (numpy pads headers to 64 bytes) comes back as a
 * typed-array view on the file's own buffer, so a multi-gigabyte embedding file is not copied.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { InputFileError } from './errors.js';
import { halfsToFloat32 } from './float16.js';
import { formatNpyHeader, parseNpyHeader } from './npy-header.js';

export type NpyTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** numpy's dtype names. 'float16' arrives as a Float32Array (Node 20 has no Float16Array). */
export type NpyDtype =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'bool'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';

export interface NpyArray<T extends NpyTypedArray = NpyTypedArray> {
  data: T;
  shape: number[];
  dtype: NpyDtype;
}

type Ctor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): NpyTypedArray; new (length: number): NpyTypedArray };

interface DtypeSpec {
  name: NpyDtype;
  size: number;
  ctor: Ctor;
  /** Reads one element of a byte-swapped (big-endian) file. */
  get: (v: DataView, offset: number, little: boolean) => number | bigint;
}

const DTYPES: Record<string, DtypeSpec> = {
  f2: { name: 'float16', size: 2, ctor: Float32Array, get: (v, o, l) => v.getUint16(o, l) },
  f4: { name: 'float32', size: 4, ctor: Float32Array, get: (v, o, l) => v.getFloat32(o, l) },
  f8: { name: 'float64', size: 8, ctor: Float64Array, get: (v, o, l) => v.getFloat64(o, l) },
  i1: { name: 'int8', size: 1, ctor: Int8Array, get: (v, o) => v.getInt8(o) },
  u1: { name: 'uint8', size: 1, ctor: Uint8Array, get: (v, o) => v.getUint8(o) },
  b1: { name: 'bool', size: 1, ctor: Uint8Array, get: (v, o) => v.getUint8(o) },
  i2: { name: 'int16', size: 2, ctor: Int16Array, get: (v, o, l) => v.getInt16(o, l) },
  u2: { name: 'uint16', size: 2, ctor: Uint16Array, get: (v, o, l) => v.getUint16(o, l) },
  i4: { name: 'int32', size: 4, ctor: Int32Array, get: (v, o, l) => v.getInt32(o, l) },
  u4: { name: 'uint32', size: 4, ctor: Uint32Array, get: (v, o, l) => v.getUint32(o, l) },
  i8: { name: 'int64', size: 8, ctor: BigInt64Array, get: (v, o, l) => v.getBigInt64(o, l) },
  u8: { name: 'uint64', size: 8, ctor: BigUint64Array, get: (v, o, l) => v.getBigUint64(o, l) },
};

const HOST_LITTLE = endianness() === 'LE';

/** Reads a .npy file. Errors (missing file, unsupported layout) are {@link InputFileError}s naming the file. */
export function readNpy(path: string): NpyArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(path, 'no such file; check the path');
    if (code === 'EISDIR') throw new InputFileError(path, 'is a directory, not a .npy file');
    throw new InputFileError(path, `cannot read (${code ?? (err as Error).message})`);
  }
  return decodeNpy(bytes, path);
}

/** Decodes .npy bytes; `name` only labels error messages. Views `bytes` without copying when it can. */
export function decodeNpy(bytes: Uint8Array, name = '<buffer>'): NpyArray {
  const header = parseNpyHeader(bytes, name);
  if (header.fortranOrder) {
    throw new InputFileError(
      name,
      'Fortran-order (column-major) arrays are not supported; save with np.save(path, np.ascontiguousarray(x))',
    );
  }
  const spec = DTYPES[header.typeCode];
  if (!spec) {
    throw new InputFileError(name, `unsupported dtype '${header.byteOrder}${header.typeCode}'; use float16/32/64 or an integer type`);
  }
  const count = header.shape.reduce((a, b) => a * b, 1);
  const byteLength = count * spec.size;
  if (bytes.length - header.dataOffset < byteLength) {
    throw new InputFileError(
      name,
      `truncated: shape (${header.shape.join(', ')}) needs ${byteLength} data bytes, the file has ${bytes.length - header.dataOffset}`,
    );
  }
  const data = decodeData(bytes, header.dataOffset, count, spec, header.byteOrder !== '>');
  return { data, shape: header.shape, dtype: spec.name };
}

function decodeData(bytes: Uint8Array, offset: number, count: number, spec: DtypeSpec, fileLittle: boolean): NpyTypedArray {
  const absolute = bytes.byteOffset + offset;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (spec.name === 'float16') return halfsToFloat32(view, offset, count, fileLittle);
  const nativeOrder = spec.size === 1 || fileLittle === HOST_LITTLE;
  if (nativeOrder) {
    if (absolute % spec.size === 0) return new spec.ctor(bytes.buffer, absolute, count);
    // Misaligned (e.g. a hand-made header): one copy into fresh, aligned memory.
    const copy = bytes.buffer.slice(absolute, absolute + count * spec.size);
    return new spec.ctor(copy, 0, count);
  }
  const out = new spec.ctor(count);
  for (let k = 0; k < count; k++) (out as unknown as (number | bigint)[])[k] = spec.get(view, offset + k * spec.size, fileLittle);
  return out;
}

const DESCR_BY_CTOR = new Map<unknown, string>([
  [Float32Array, 'f4'],
  [Float64Array, 'f8'],
  [Int8Array, 'i1'],
  [Uint8Array, 'u1'],
  [Int16Array, 'i2'],
  [Uint16Array, 'u2'],
  [Int32Array, 'i4'],
  [Uint32Array, 'u4'],
  [BigInt64Array, 'i8'],
  [BigUint64Array, 'u8'],
]);

/** Encodes a C-order array as .npy bytes (little-endian, header v1 or v2). */
export function encodeNpy(data: NpyTypedArray, shape: readonly number[]): Uint8Array {
  const code = DESCR_BY_CTOR.get(data.constructor);
  if (!code) throw new TypeError(`encodeNpy: unsupported array type ${data.constructor.name}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((s) => Number.isSafeInteger(s) && s >= 0) || count !== data.length) {
    throw new RangeError(`encodeNpy: shape (${shape.join(', ')}) holds ${count} elements, the data has ${data.length}`);
  }
  if (!HOST_LITTLE && data.BYTES_PER_ELEMENT > 1) {
    throw new Error('encodeNpy: big-endian hosts are not supported');
  }
  const descr = (data.BYTES_PER_ELEMENT === 1 ? '|' : '<') + code;
  const header = formatNpyHeader(descr, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

/** Writes `data` with `shape` to a .npy file that numpy.load reads back unchanged. */
export function writeNpy(path: string, data: NpyTypedArray, shape: readonly number[]): void {
  writeFileSync(path, encodeNpy(data, shape));
}
