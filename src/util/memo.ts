/**
 * `make` memoised by its argument, keeping at most `max` results: for values built from a few constants again and
 * again (usage constants, DER nodes of flags and OIDs). When full, everything is dropped and built anew, which keeps
 * the bound without bookkeeping; callers must not modify what they get.
 */
export function boundedMemo<K, V>(max: number, make: (key: K) => V): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let v = kept.get(key);
    if (v === undefined) {
      v = make(key);
      if (kept.size >= max) kept.clear();
      kept.set(key, v);
    }
    return v;
  };
}
