import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { LockstepError } from './errors.js';

/** A report path that cannot take a report (a folder, a block device): the message says why. */
export class OutputError extends LockstepError {}

/** The output name that means standard output, as in most command-line tools. */
export const STDOUT = '-';

export interface WriteOutputOptions {
  /** What a relative `file` is relative to; default `process.cwd()` (the CLI passes its `io.cwd`). */
  cwd?: string;
  /** Where `-` goes; default `process.stdout`. The CLI passes its own writer so tests capture it. */
  stdout?: (text: string) => void;
}

/** How many symbolic links are followed before giving up, as the kernel's ELOOP does (Linux: 40). */
const MAX_LINKS = 40;

/**
 * Write a report to `file` without destroying what is there. A regular file (or a missing one) is
 * replaced atomically (temporary file and rename); anything else would be swapped for a regular
 * file by that rename, so instead:
 * - a symbolic link is written through: its target is written (atomically), the link stays;
 * - a character device (`/dev/null`, a terminal), a FIFO or a socket is opened and written to.
 *   Opening a FIFO waits until a reader opens it, as `cat > fifo` does: a run with `-o fifo`
 *   and nobody reading waits with it (on a libuv thread: the event loop is not blocked);
 * - `-` is standard output;
 * - a folder or a block device is refused with an {@link OutputError}.
 */
export async function writeOutput(file: string, data: string, options: WriteOutputOptions = {}): Promise<void> {
  if (file === STDOUT) {
    if (options.stdout) options.stdout(data);
    else await new Promise<void>((resolve, reject) => process.stdout.write(data, (e) => (e ? reject(e) : resolve())));
    return;
  }
  const target = await throughLinks(path.resolve(options.cwd ?? process.cwd(), file));
  const stats = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!stats || stats.isFile()) return writeFileAtomic(target, data);
  if (stats.isDirectory()) throw new OutputError(`${file}: is a folder, not a file`);
  if (stats.isSocket()) return writeSocket(target, data);
  if (stats.isCharacterDevice() || stats.isFIFO()) return writeInPlace(file, target, data);
  // A block device is a disk: a report written there would overwrite what it holds.
  throw new OutputError(`${file}: is a ${stats.isBlockDevice() ? 'block device' : 'special file'}: not written`);
}

/**
 * The path a write to `file` lands on: its real path when it is a link, else `file`. A dangling
 * link leads to the missing file it names, which is then created, as `echo > link` does.
 */
async function throughLinks(file: string): Promise<string> {
  let current = file;
  for (let hops = 0; ; hops++) {
    const stats = await lstat(current).catch(() => null);
    if (!stats?.isSymbolicLink()) return current;
    if (hops >= MAX_LINKS) throw new OutputError(`${file}: too many levels of symbolic links`);
    try {
      return await realpath(current);
    } catch {
      // Dangling (or looping: the hop count ends it). The link's target is read relative to the
      // folder's real path, as the kernel reads it, not lexically (the folder may be a link too).
      const dir = await realpath(path.dirname(current)).catch(() => path.dirname(current));
      current = path.resolve(dir, await readlink(current));
    }
  }
}

/** Open without creating, truncating or following a link, so that nothing there is replaced. */
async function writeInPlace(file: string, target: string, data: string): Promise<void> {
  const handle = await open(target, constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    // The path may have been swapped between the stat and the open: only a device or a FIFO is written in place.
    const opened = await handle.stat();
    const inPlace = opened.isCharacterDevice() || opened.isFIFO();
    if (!inPlace) throw new OutputError(`${file}: changed while it was opened: not written`);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/** A Unix socket cannot be open()ed: connect to it and send the report. */
function writeSocket(target: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: target });
    socket.once('error', reject);
    socket.once('connect', () => socket.end(data));
    socket.once('close', (hadError) => {
      if (!hadError) resolve();
    });
  });
}
