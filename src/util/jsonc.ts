import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { positionAt } from './text.js';

/**
 * JSON with comments and trailing commas, as config and scenario files are written (tsconfig.json's
 * dialect), a byte-order mark read past. A syntax error comes back as `line:column: reason`.
 */
export function parseJsonWithComments(text: string): { value: unknown; error?: undefined } | { error: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (!first) return { value };
  const at = positionAt(body, first.offset);
  return { error: `${at.line}:${at.column}: ${printParseErrorCode(first.error)}` };
}
