/** Checks of repairs against the findings that asked for them. */

/**
 * The old-side line ranges a unified diff changes, per file: `[first, last]` lines deleted or
 * replaced, or an insertion point (`last` = `first - 1`).
 */
export function changedRanges(patch: string): Map<string, { first: number; last: number }[]> {
  const out = new Map<string, { first: number; last: number }[]>();
  let file = '';
  let line = 0;
  type Range = { first: number; last: number };
  let run = null as Range | null;
  const close = () => {
    if (run) out.get(file)!.push(run);
    run = null;
  };
  for (const text of patch.split('\n')) {
    if (text.startsWith('--- a/')) continue;
    if (text.startsWith('+++ b/')) {
      close();
      file = text.slice(6);
      if (!out.has(file)) out.set(file, []);
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? /.exec(text);
    if (hunk) {
      close();
      line = Number(hunk[1]) - (hunk[2] === '0' ? 0 : 1);
      continue;
    }
    if (text.startsWith(' ')) {
      close();
      line++;
    } else if (text.startsWith('-')) {
      line++;
      run = run ? { first: run.first, last: line } : { first: line, last: line };
    } else if (text.startsWith('+')) {
      // An insertion after line `line`: it touches the boundary between `line` and `line + 1`.
      run ??= { first: line + 1, last: line };
    }
  }
  close();
  return out;
}

export interface Span {
  line: number;
  endLine: number;
}

/**
 * The lines a patch changes that no reported repair span holds: empty when every changed line lies
 * inside the spans of the findings (SARIF fixes' regions) of its file.
 */
export function linesOutsideSpans(patch: string, spans: Map<string, Span[]>): string[] {
  const outside: string[] = [];
  for (const [file, ranges] of changedRanges(patch)) {
    const own = spans.get(file) ?? [];
    for (const r of ranges) {
      if (r.last < r.first) {
        // An insertion before line `first`: at a span's edge or inside it.
        if (!own.some((s) => s.line <= r.first && r.first - 1 <= s.endLine)) outside.push(`${file}:+${r.first}`);
        continue;
      }
      // Each line a change deletes or rewrites lies inside some span.
      for (let line = r.first; line <= r.last; line++)
        if (!own.some((s) => s.line <= line && line <= s.endLine)) outside.push(`${file}:${line}`);
    }
  }
  return outside;
}

/** The repair spans of a SARIF log's results (their fixes' deleted regions), by file. */
export function sarifSpans(sarif: {
  runs: {
    results: {
      fixes?: {
        artifactChanges: {
          artifactLocation: { uri: string };
          replacements: { deletedRegion: { startLine: number; endLine: number } }[];
        }[];
      }[];
    }[];
  }[];
}): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const run of sarif.runs)
    for (const result of run.results)
      for (const fix of result.fixes ?? [])
        for (const change of fix.artifactChanges) {
          const file = decodeURIComponent(change.artifactLocation.uri);
          const list = out.get(file) ?? [];
          for (const r of change.replacements)
            list.push({ line: r.deletedRegion.startLine, endLine: r.deletedRegion.endLine });
          out.set(file, list);
        }
  return out;
}
