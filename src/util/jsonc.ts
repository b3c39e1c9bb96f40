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
  return {
    error: `${at.line}:${at.column}: ${REASONS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error)}`,
  };
}

/**
 * jsonc-parser's error codes (`InvalidSymbol`; a const enum, so keyed by name) in words a person fixing the file can
 * act on.
 */
const REASONS: Record<string, string> = {
  InvalidSymbol: 'unexpected character (names and strings need double quotes)',
  InvalidNumberFormat: 'not a number JSON can read',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon after the property name',
  CommaExpected: 'expected a comma between entries',
  CloseBraceExpected: 'expected } to close the object',
  CloseBracketExpected: 'expected ] to close the list',
  EndOfFileExpected: 'more text after the end of the JSON value',
  InvalidCommentToken: 'a comment that is not // or /* */',
  UnexpectedEndOfComment: 'a /* comment is never closed',
  UnexpectedEndOfString: 'a string is never closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'a \\u escape without four hex digits',
  InvalidEscapeCharacter: 'an escape JSON does not know',
  InvalidCharacter: 'a control character inside a string',
};
