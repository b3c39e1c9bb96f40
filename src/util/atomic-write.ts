import type { Stats } from 'node:fs';
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Two writes of one file in the same process and millisecond must not share a temporary file. */
let sequence = 0;

/**
 * Write a file so that a reader, or a run killed at any moment, sees either the
 * old content or the new one: write a temporary file beside it, flush, rename.
 * The temporary file is `.<name>.<pid>.<time>-<n>.tmp`: whoever finds one can tell from the pid
 * whether its writer is still alive.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomicStats(file, data);
}

/**
 * writeFileAtomic, resolving to the stats of the file written: a caller can tell later whether it was replaced. The
 * data may come in pieces (strings, written in order as they are made), so that a large text need not be made whole.
 */
export async function writeFileAtomicStats(file: string, data: string | Uint8Array | Iterable<string>): Promise<Stats> {
  const dir = path.dirname(file);
  const unique = `${Date.now().toString(36)}-${(sequence++).toString(36)}`;
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${unique}.tmp`);
  const handle = await open(tmp, 'w');
  let stats: Stats;
  try {
    await writeFile(handle, data);
    await handle.sync();
    stats = await handle.stat();
  } catch (error) {
    await handle.close();
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  return stats;
}
