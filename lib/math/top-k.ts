/**
 * Positions of the k largest values (ties to the lower position), best first, in O(m log k):
 * a bounded min-heap, so 12.5 M candidate scores never need a full sort.
 */
export function topK(values: Float64Array, k: number): Int32Array {
  const heap = new Int32Array(k);
  let size = 0;
  // "worse" is the heap order: lower value, or equal value and higher position.
  const worse = (a: number, b: number): boolean => values[a]! < values[b]! || (values[a] === values[b] && a > b);
  const siftDown = (start: number): void => {
    let i = start;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const child = r < size && worse(heap[r]!, heap[l]!) ? r : l;
      if (!worse(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  };
  for (let p = 0; p < values.length; p++) {
    if (size < k) {
      let i = size++;
      heap[i] = p;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        const tmp = heap[i]!;
        heap[i] = heap[parent]!;
        heap[parent] = tmp;
        i = parent;
      }
    } else if (worse(heap[0]!, p)) {
      heap[0] = p;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  return Int32Array.from(out);
}

/** Positions of the k smallest values (ties to the lower position), best first. */
export function bottomK(values: Float64Array, k: number): Int32Array {
  const negated = new Float64Array(values.length);
  for (let p = 0; p < values.length; p++) negated[p] = -values[p]!;
  return topK(negated, k);
}

export function gather(values: Float64Array, positions: Int32Array): Float64Array {
  const out = new Float64Array(positions.length);
  for (let t = 0; t < positions.length; t++) out[t] = values[positions[t]!]!;
  return out;
}
