import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mergeReports, MergeError, parseReport, type ReportPart } from '../report/merge.js';
import type { RunReport } from '../report/model.js';
import { UsageError } from './errors.js';

/**
 * `lockstep merge REPORT.json…`: the shards' JSON reports read and joined (src/report/merge.ts).
 * A file that cannot be read or merged is a usage error that names it.
 */
export async function mergeFiles(
  files: readonly string[],
  cwd: string,
): Promise<{
  report: Pick<RunReport, 'lint' | 'conformance'>;
  /** The name `--output-dir` files take: `lockstep-<kind>.<ext>`, as the runs that made the parts name theirs. */
  kind: 'lint' | 'conformance' | 'demo';
  /** Whether the merged report fails a gate, as the runs would have: lint errors, failed or errored cases. */
  failed: boolean;
}> {
  const parts: ReportPart[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `${file}: ${
          code === 'ENOENT'
            ? 'no such file'
            : code === 'EISDIR'
              ? 'is a folder, not a report'
              : (error as Error).message
        }`,
      );
    }
    try {
      parts.push(parseReport(text, file));
    } catch (error) {
      throw error instanceof MergeError ? new UsageError(error.message) : error;
    }
  }
  let report: ReturnType<typeof mergeReports>;
  try {
    report = mergeReports(parts);
  } catch (error) {
    throw error instanceof MergeError ? new UsageError(error.message) : error;
  }
  const kind = report.lint && report.conformance ? 'demo' : report.lint ? 'lint' : 'conformance';
  const c = report.conformance?.summary;
  const failed = (report.lint?.summary.errors ?? 0) > 0 || (c !== undefined && c.failed + c.errors > 0);
  return { report, kind, failed };
}
