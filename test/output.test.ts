import { execFile, execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputError, writeOutput } from '../src/util/output.js';

// `-o FILE` used to write a temporary file and rename it over FILE, whatever FILE was: these
// check that only a regular file is replaced, and that links, devices, FIFOs and sockets survive.
describe('writeOutput', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-output-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces a regular file atomically (new inode, no temporary file left), creates a missing one', async () => {
    const file = path.join(dir, 'report.json');
    await writeFile(file, 'old');
    const before = await stat(file);
    await writeOutput(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    // Renamed into place, not rewritten: a reader holding the old file keeps the old content.
    expect((await stat(file)).ino).not.toBe(before.ino);
    const fresh = path.join(dir, 'fresh.txt');
    await writeOutput(fresh, 'made');
    expect(await readFile(fresh, 'utf8')).toBe('made');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writes through a symbolic link: the link stays a link, its target gets the report', async () => {
    const sub = path.join(dir, 'links');
    await mkdir(sub);
    const target = path.join(sub, 'target.json');
    await writeFile(target, 'stale');
    const link = path.join(sub, 'link.json');
    await symlink('target.json', link);
    await writeOutput(link, 'fresh');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('target.json');
    expect(await readFile(target, 'utf8')).toBe('fresh');
    // A link to a link, and a dangling link (its target is created, as `echo > link` does).
    const chain = path.join(sub, 'chain.json');
    await symlink('link.json', chain);
    await writeOutput(chain, 'chained');
    expect((await lstat(chain)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('chained');
    const dangling = path.join(sub, 'dangling.json');
    await symlink('later.json', dangling);
    await writeOutput(dangling, 'created');
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(sub, 'later.json'), 'utf8')).toBe('created');
  });

  it('streams to a FIFO without replacing it (the write waits for a reader, as `cat > fifo` does)', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const report = 'x'.repeat(200_000); // more than a pipe buffer: the reader must drain it
    const reader = promisify(execFile)('cat', [fifo], { encoding: 'utf8', maxBuffer: 1 << 20, timeout: 10_000 });
    await writeOutput(fifo, report);
    expect((await reader).stdout).toBe(report);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('writes to /dev/null and leaves it a character device', async () => {
    // Run as root (as CI does), the old rename replaced /dev/null with a regular file.
    const before = await lstat('/dev/null');
    expect(before.isCharacterDevice()).toBe(true);
    await writeOutput('/dev/null', 'discarded');
    const after = await lstat('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.ino).toBe(before.ino);
    expect(after.rdev).toBe(before.rdev);
  });

  it('sends the report to a Unix socket that listens there', async () => {
    const socketPath = path.join(dir, 'sock');
    let received = '';
    const server = net.createServer();
    const done = new Promise<void>((resolve) => {
      server.on('connection', (c) => {
        c.setEncoding('utf8');
        c.on('data', (d) => {
          received += d;
        });
        c.on('end', resolve);
      });
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await writeOutput(socketPath, 'over the socket');
      await done;
      expect(received).toBe('over the socket');
      expect((await lstat(socketPath)).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a folder with a clear message and leaves it alone', async () => {
    const folder = path.join(dir, 'a-folder');
    await mkdir(folder);
    await expect(writeOutput(folder, 'nope')).rejects.toThrow(OutputError);
    await expect(writeOutput(folder, 'nope')).rejects.toThrow(/a-folder: is a folder, not a file/);
    const linked = path.join(dir, 'folder-link');
    await symlink(folder, linked);
    await expect(writeOutput(linked, 'nope')).rejects.toThrow(/is a folder/);
    expect((await stat(folder)).isDirectory()).toBe(true);
    expect(await readdir(folder)).toEqual([]);
  });

  it('sends `-` to the stdout writer, and takes a relative path from `cwd`', async () => {
    let printed = '';
    await writeOutput('-', 'to stdout', {
      stdout: (t) => {
        printed += t;
      },
    });
    expect(printed).toBe('to stdout');
    await expect(stat(path.join(process.cwd(), '-'))).rejects.toThrow();
    // A relative path is taken from `cwd`, not from the process's working directory.
    await writeOutput('relative.txt', 'here', { cwd: dir });
    expect(await readFile(path.join(dir, 'relative.txt'), 'utf8')).toBe('here');
  });
});

describe('lockstep lint -o, as a user runs it', () => {
  const cli = async (args: string[]) => {
    const { run } = await import('../src/cli/main.js');
    const { repoRoot } = await import('./helpers/paths.js');
    let stdout = '';
    let stderr = '';
    const code = await run(args, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      cwd: repoRoot,
      color: false,
      env: {},
    });
    return { code, stdout, stderr };
  };

  it('writes through a link, into /dev/null without replacing it, and to stdout with -o -', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-cli-output-'));
    try {
      const target = path.join(dir, 'report.json');
      const link = path.join(dir, 'link.json');
      await writeFile(target, 'old');
      await symlink(target, link);
      expect((await cli(['lint', 'docs', '-f', 'json', '-o', link])).code).toBe(1);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(JSON.parse(await readFile(target, 'utf8')).summary.pages).toBe(11);
      const before = await stat('/dev/null');
      expect((await cli(['lint', 'docs', '-o', '/dev/null'])).code).toBe(1);
      const after = await stat('/dev/null');
      expect([after.isCharacterDevice(), after.ino, after.rdev]).toEqual([true, before.ino, before.rdev]);
      const dash = await cli(['lint', 'docs', '-f', 'json', '-o', '-']);
      expect(JSON.parse(dash.stdout).summary.pages).toBe(11);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
