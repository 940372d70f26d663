import type { LabelSelector, Labels } from '../model/network-policy.js';
import { assertNever } from '../util/assert-never.js';
import { Bitset } from './bitset.js';

/**
 * An inverted index from labels to member sets, so a selector becomes a few bitset
 * intersections instead of a scan of every member against every term.
 */
export class LabelIndex {
  private readonly byKey = new Map<string, Bitset>();
  private readonly byKeyValue = new Map<string, Map<string, Bitset>>();
  private readonly empty: Bitset;

  constructor(
    readonly size: number,
    members: ReadonlyArray<{ index: number; labels: Labels }>,
  ) {
    this.empty = new Bitset(size);
    for (const { index, labels } of members) {
      for (const [key, value] of Object.entries(labels)) {
        this.setFor(this.byKey, key).add(index);
        let values = this.byKeyValue.get(key);
        if (!values) this.byKeyValue.set(key, (values = new Map()));
        this.setFor(values, value).add(index);
      }
    }
  }

  /** Members of `universe` that the selector matches. */
  select(selector: LabelSelector, universe: Bitset): Bitset {
    const result = universe.clone();
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
      result.andWith(this.withValue(key, value));
    }
    for (const req of selector.matchExpressions ?? []) {
      const withAny = new Bitset(this.size);
      for (const v of req.values ?? []) withAny.orWith(this.withValue(req.key, v));
      switch (req.operator) {
        case 'In':
          result.andWith(withAny);
          break;
        case 'NotIn':
          result.andNotWith(withAny);
          break;
        case 'Exists':
          result.andWith(this.byKey.get(req.key) ?? this.empty);
          break;
        case 'DoesNotExist':
          result.andNotWith(this.byKey.get(req.key) ?? this.empty);
          break;
        default:
          assertNever(req.operator, 'selector operator');
      }
    }
    return result;
  }

  private withValue(key: string, value: string): Bitset {
    return this.byKeyValue.get(key)?.get(value) ?? this.empty;
  }

  private setFor<K>(map: Map<K, Bitset>, key: K): Bitset {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Bitset(this.size)));
    return set;
  }
}
