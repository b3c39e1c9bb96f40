import { readFile, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { positionAt } from '../util/text.js';

export interface ReadLimits {
  /** Files larger than this are reported and not parsed. */
  maxFileBytes: number;
}

/** 10 MiB: the largest real page in the Graph and Exchange corpora is under 1 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface SourceText {
  /** Decoded text without a byte-order mark; null when the file could not be used at all. */
  text: string | null;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | null;
  bytes: number;
  diagnostics: Diagnostic[];
}

function fileDiagnostic(
  file: string,
  ruleId: string,
  severity: Diagnostic['severity'],
  message: string,
  line = 1,
  column = 1,
): Diagnostic {
  return { ruleId, severity, message, file, line, column };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8');
  return positionAt(before, before.length);
}

/** Decode a page's bytes: BOMs, UTF-16, invalid UTF-8 and binary content become diagnostics, never exceptions. */
export function decodeSource(file: string, bytes: Uint8Array): SourceText {
  const diagnostics: Diagnostic[] = [];
  const result = (text: string | null, encoding: SourceText['encoding']): SourceText => ({
    text,
    encoding,
    bytes: bytes.length,
    diagnostics,
  });
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    diagnostics.push(
      fileDiagnostic(
        file,
        'file-encoding',
        'warning',
        `file is UTF-16${le ? 'LE' : 'BE'} (byte-order mark); pages are expected in UTF-8`,
      ),
    );
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
    return result(text, le ? 'utf-16le' : 'utf-16be');
  }
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    diagnostics.push(fileDiagnostic(file, 'file-bom', 'info', 'file starts with a UTF-8 byte-order mark (ignored)'));
    body = bytes.subarray(3);
  }
  const nul = body.indexOf(0);
  if (nul !== -1) {
    const at = positionOfByte(body, nul);
    diagnostics.push(
      fileDiagnostic(
        file,
        'file-binary',
        'error',
        `file contains a NUL byte at byte ${nul}: not a text page, skipped`,
        at.line,
        at.column,
      ),
    );
    return result(null, null);
  }
  if (!isUtf8(body)) {
    const bad = firstInvalidUtf8Offset(body);
    const at = positionOfByte(body, Math.max(bad, 0));
    const hex = bad >= 0 ? `0x${body[bad]!.toString(16).padStart(2, '0')}` : '?';
    diagnostics.push(
      fileDiagnostic(
        file,
        'file-encoding',
        'error',
        `invalid UTF-8 (byte ${hex} at offset ${bad}); decoded with U+FFFD replacements`,
        at.line,
        at.column,
      ),
    );
  }
  return result(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), 'utf-8');
}

const exactBytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`;

/** A size in the unit that keeps it readable: 900 bytes, 5.2 KiB, 12.0 MiB. */
function byteSize(n: number): string {
  if (n < 1024) return exactBytes(n);
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Why a file is not read, judged from its stat: not a regular file, or over the size limit
 * (null: read it). Shared by the async reader here and the synchronous one of whole-set runs.
 */
export function refuseToRead(
  displayPath: string,
  info: { isFile(): boolean; size: number },
  maxFileBytes: number,
): SourceText | null {
  if (!info.isFile()) {
    return {
      text: null,
      encoding: null,
      bytes: 0,
      diagnostics: [fileDiagnostic(displayPath, 'file-unreadable', 'error', 'not a regular file')],
    };
  }
  if (info.size > maxFileBytes) {
    let [size, limit] = [byteSize(info.size), byteSize(maxFileBytes)];
    // Rounding can make 5,121 bytes and a 5,120-byte limit read alike: then give both exactly.
    if (size === limit) [size, limit] = [exactBytes(info.size), exactBytes(maxFileBytes)];
    const reason = `file is ${size}, over the limit of ${limit} (--max-file-size): skipped`;
    return {
      text: null,
      encoding: null,
      bytes: info.size,
      diagnostics: [fileDiagnostic(displayPath, 'file-too-large', 'error', reason)],
    };
  }
  return null;
}

/** An I/O error reading a page, as the diagnostic a user reads. */
export function unreadableSource(displayPath: string, error: unknown): SourceText {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (error as Error).message;
  return {
    text: null,
    encoding: null,
    bytes: 0,
    diagnostics: [fileDiagnostic(displayPath, 'file-unreadable', 'error', `cannot read file: ${reason}`)],
  };
}

/** Read and decode one page; I/O errors and oversized files become diagnostics. */
export async function readSource(file: string, displayPath: string, limits: ReadLimits): Promise<SourceText> {
  try {
    const refused = refuseToRead(displayPath, await stat(file), limits.maxFileBytes);
    return refused ?? decodeSource(displayPath, await readFile(file));
  } catch (error) {
    return unreadableSource(displayPath, error);
  }
}
