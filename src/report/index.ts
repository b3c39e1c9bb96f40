import { redact } from '../util/secrets.js';
import { conformanceJson, conformanceText } from './conformance.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { lintJson } from './lint-json.js';
import { lintText } from './lint-text.js';
import type { RunReport } from './model.js';
import { renderSarif } from './sarif.js';

/** Every report format; each is a sibling over the one RunReport model. */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** File names `--output-dir` writes, one per format. */
export const FILE_EXTENSION: Record<Format, string> = {
  text: 'txt',
  json: 'json',
  sarif: 'sarif',
  junit: 'xml',
  github: 'github.txt',
  html: 'html',
};

export interface RenderOptions {
  color: boolean;
  /** Values that must never reach any output (credentials): removed from every format. */
  secrets?: readonly string[];
}

export function render(format: Format, report: RunReport, options: RenderOptions): string {
  return redactOutput(renderUnredacted(format, report, options), options.secrets ?? []);
}

/** Remove every spelling of every secret from a finished report. */
export function redactOutput(text: string, secrets: readonly string[]): string {
  return secrets.length > 0 ? redact(text, encodedForms(secrets)) : text;
}

/** A secret as each format may spell it (JSON-escaped, XML/HTML-escaped), so every spelling is removed. */
function encodedForms(secrets: readonly string[]): string[] {
  const html = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const forms = new Set(
    secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), html(s), html(s).replace(/&#39;/g, '&apos;')]),
  );
  return [...forms].sort((a, b) => b.length - a.length);
}

function renderUnredacted(format: Format, report: RunReport, options: RenderOptions): string {
  const { lint, conformance } = report;
  switch (format) {
    case 'text':
      return [
        lint ? lintText(lint, { ...options, fix: report.fix }) : '',
        conformance ? conformanceText(conformance, options) : '',
      ]
        .filter(Boolean)
        .join('\n');
    case 'json': {
      // One command, one document as before; the combined run nests both.
      const doc =
        lint && conformance
          ? { version: 1, lint: lintJson(lint), conformance: conformanceJson(conformance) }
          : lint
            ? lintJson(lint)
            : conformanceJson(conformance!);
      return `${JSON.stringify(doc, null, 2)}\n`;
    }
    case 'sarif':
      return `${JSON.stringify(renderSarif(report), null, 2)}\n`;
    case 'junit':
      return renderJunit(report);
    case 'github':
      return renderGithub(report);
    case 'html':
      return renderHtml(report);
  }
}
