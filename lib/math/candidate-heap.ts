/** Max-heap of candidate positions for lazy greedy loops (D-optimal and BatchBALD). */
import type { Yielder } from './yielder.js';

/**
 * Binary max-heap of candidates ordered by (key desc, position asc). Keys live in the heap
 * next to the positions, so sifting touches two contiguous arrays instead of chasing indices.
 */
export class CandidateHeap {
  private readonly pos: Int32Array;
  private readonly key: Float64Array;
  private size: number;
  private popped = NaN;
  constructor(m: number) {
    this.pos = new Int32Array(m);
    this.key = new Float64Array(m);
    this.size = m;
  }
  set(slot: number, position: number, key: number): void {
    this.pos[slot] = position;
    this.key[slot] = key;
  }
  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }
  topPosition(): number {
    if (this.size === 0) throw new Error('active-rm internal error: greedy ran out of candidates (k > pool size)');
    return this.pos[0]!;
  }
  /** Key of the entry removed by the last pop. */
  lastPoppedKey(): number {
    return this.popped;
  }
  pop(): void {
    this.popped = this.key[0]!;
    this.size--;
    this.pos[0] = this.pos[this.size]!;
    this.key[0] = this.key[this.size]!;
    this.siftDown(0);
  }
  /** Recomputes every key and restores heap order (O(size) plus the key function). */
  async rekeyAll(keyOf: (position: number) => number, yielder: Yielder): Promise<void> {
    for (let slot = 0; slot < this.size; slot++) {
      this.key[slot] = keyOf(this.pos[slot]!);
      if ((slot & 255) === 0 && yielder.due()) await yielder.yieldNow();
    }
    this.heapify();
  }
  replaceTopKey(key: number): void {
    this.key[0] = key;
    this.siftDown(0);
  }
  private siftDown(start: number): void {
    const { pos, key, size } = this;
    let i = start;
    const p = pos[i]!;
    const kv = key[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      let child = l;
      if (r < size && (key[r]! > key[l]! || (key[r] === key[l] && pos[r]! < pos[l]!))) child = r;
      const kc = key[child]!;
      if (!(kc > kv || (kc === kv && pos[child]! < p))) break;
      pos[i] = pos[child]!;
      key[i] = kc;
      i = child;
    }
    pos[i] = p;
    key[i] = kv;
  }
}
