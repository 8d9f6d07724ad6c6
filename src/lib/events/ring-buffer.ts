/** The newest `capacity` items with increasing sequence numbers: what a reconnecting client may have missed. */
export interface RingBuffer<T extends { seq: number }> {
  push: (item: T) => void;
  /** Items after `seq`, oldest first; null when some of them were already overwritten. */
  since: (seq: number) => T[] | null;
}

export function createRingBuffer<T extends { seq: number }>(capacity: number): RingBuffer<T> {
  const items: (T | undefined)[] = new Array(capacity);
  let count = 0; // items ever pushed
  return {
    push(item) {
      items[count % capacity] = item;
      count += 1;
    },
    since(seq) {
      const oldest = Math.max(0, count - capacity);
      const kept: T[] = [];
      for (let i = oldest; i < count; i++) {
        const item = items[i % capacity] as T;
        if (item.seq > seq) kept.push(item);
      }
      // The first kept item must directly follow `seq`, or something in between is gone.
      const first = items[oldest % capacity];
      if (count > capacity && first && first.seq > seq + 1) return null;
      return kept;
    },
  };
}
