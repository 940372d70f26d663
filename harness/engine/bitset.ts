/**
 * A fixed-size set of small integers (endpoint indexes). The engine turns every selector
 * and ipBlock into one of these once, so each matrix cell is a bit test, not a rule scan.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array(Math.ceil(size / 32));
  }

  static full(size: number): Bitset {
    const set = new Bitset(size);
    set.words.fill(0xffffffff);
    set.clearTail();
    return set;
  }

  static of(size: number, members: Iterable<number>): Bitset {
    const set = new Bitset(size);
    for (const m of members) set.add(m);
    return set;
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  has(i: number): boolean {
    return ((this.words[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  clone(): Bitset {
    return new Bitset(this.size, this.words.slice());
  }

  /** In place: this |= other. */
  orWith(other: Bitset): this {
    for (let w = 0; w < this.words.length; w++) this.words[w]! |= other.words[w]!;
    return this;
  }

  /** In place: this &= other. */
  andWith(other: Bitset): this {
    for (let w = 0; w < this.words.length; w++) this.words[w]! &= other.words[w]!;
    return this;
  }

  /** In place: this &= ~other. */
  andNotWith(other: Bitset): this {
    for (let w = 0; w < this.words.length; w++) this.words[w]! &= ~other.words[w]!;
    return this;
  }

  isEmpty(): boolean {
    return this.words.every((w) => w === 0);
  }

  *members(): IterableIterator<number> {
    for (let i = 0; i < this.size; i++) if (this.has(i)) yield i;
  }

  private clearTail(): void {
    const extra = this.words.length * 32 - this.size;
    if (extra > 0) this.words[this.words.length - 1]! >>>= extra;
  }
}
