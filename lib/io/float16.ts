/**
 * IEEE 754 binary16 → number. Node 20 has no Float16Array, and PyTorch pipelines often save
 * half-precision embeddings, so half floats are widened to float32 on read.
 */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal (and ±0)
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Widens `count` half floats starting at `offset` of `view` into a new Float32Array. */
export function halfsToFloat32(view: DataView, offset: number, count: number, littleEndian: boolean): Float32Array {
  const out = new Float32Array(count);
  for (let k = 0; k < count; k++) out[k] = halfToFloat(view.getUint16(offset + 2 * k, littleEndian));
  return out;
}
