/** The runs where two sequences differ: `a[aStart, aEnd)` stands where `b[bStart, bEnd)` stands. */
export interface DifferingRun {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * The runs where sequences of lengths `n` and `m` differ, aligned by their longest common
 * subsequence (`same(i, j)`: item `i` of the first equals item `j` of the second). Quadratic in time
 * and memory: callers bound `n × m`.
 */
export function differingRuns(n: number, m: number, same: (i: number, j: number) => boolean): DifferingRun[] {
  // lcs[i * (m + 1) + j]: length of the LCS of the suffixes from i and j, one typed array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = same(i, j)
        ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
        : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
  const out: DifferingRun[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(i, j)) {
      i++;
      j++;
      continue;
    }
    const aStart = i;
    const bStart = j;
    while ((i < n || j < m) && !(i < n && j < m && same(i, j))) {
      if (j >= m || (i < n && lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) i++;
      else j++;
    }
    out.push({ aStart, aEnd: i, bStart, bEnd: j });
  }
  return out;
}
