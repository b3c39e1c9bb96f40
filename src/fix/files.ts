/** The I/O edge of the repair stage: pages read as their bytes are (BOM noted), repairs written atomically. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { fixText, type FixText } from './resolve.js';

const BOM = '\uFEFF';

export interface FixFiles {
  /** A page's text as the findings place it (without its BOM), or null when it is not UTF-8 text. */
  read: (file: string) => FixText | null;
  /** Write a repaired text, with the file's own BOM when it had one: temporary file, then rename. */
  write: (file: string, text: string) => Promise<void>;
}

/** Files as the findings name them (relative to `cwd`), each read once. */
export function fixFiles(cwd: string): FixFiles {
  const cache = new Map<string, { text: FixText; bom: boolean } | null>();
  const load = (file: string) => {
    let entry = cache.get(file);
    if (entry === undefined) {
      entry = null;
      try {
        const bytes = readFileSync(path.resolve(cwd, file));
        const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        const bom = text.startsWith(BOM);
        entry = { text: fixText(bom ? text.slice(1) : text), bom };
      } catch {
        entry = null;
      }
      cache.set(file, entry);
    }
    return entry;
  };
  return {
    read: (file) => load(file)?.text ?? null,
    write: async (file, text) => {
      const bom = load(file)?.bom ?? false;
      await writeFileAtomic(path.resolve(cwd, file), bom ? BOM + text : text);
    },
  };
}
