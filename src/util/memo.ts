/**
 * A function of an object, computed once per object: for what is derived from loaded pages,
 * samples and groups, which never change once loaded. Entries go when their keys do.
 */
export function oncePer<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>();
  return (key) => {
    const known = memo.get(key); // one lookup when known: a replay asks thousands of times
    if (known !== undefined || memo.has(key)) return known!;
    const value = compute(key);
    memo.set(key, value);
    return value;
  };
}
