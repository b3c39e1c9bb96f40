/**
 * Every file lockstep writes is a temporary file renamed into place: a killed run leaves the old file or the new one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-kill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('nothing lost when a run is killed', () => {
  it('writeFileAtomic under SIGKILL at random moments: always a whole old or new file', async () => {
    const target = path.join(dir, 'report.json');
    const a = JSON.stringify({ v: 'a', pad: 'a'.repeat(4 * 1024 * 1024) });
    const b = JSON.stringify({ v: 'b', pad: 'b'.repeat(4 * 1024 * 1024) });
    await writeFile(target, a);
    const script = `import { writeFileAtomic } from ${JSON.stringify(path.join(repoRoot, 'dist/util/atomic-write.js'))};
const a = JSON.stringify({ v: 'a', pad: 'a'.repeat(4 * 1024 * 1024) });
const b = JSON.stringify({ v: 'b', pad: 'b'.repeat(4 * 1024 * 1024) });
for (let i = 0; ; i++) await writeFileAtomic(${JSON.stringify(target)}, i % 2 ? a : b);`;
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
      await sleep(40 + Math.floor(Math.random() * 200));
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;
      const text = await readFile(target, 'utf8');
      expect(text === a || text === b, `round ${round}: ${text.length} bytes`).toBe(true);
    }
  }, 60_000);

  it('a killed `lockstep lint -o` leaves the previous report intact', async () => {
    const out = path.join(dir, 'lint.json');
    await writeFile(out, '{"previous": true}');
    for (let round = 0; round < 5; round++) {
      const child = spawn(
        process.execPath,
        [path.join(repoRoot, 'bin/lockstep.js'), 'lint', 'docs', '--no-cache', '-f', 'json', '-o', out],
        { cwd: repoRoot, stdio: 'ignore' },
      );
      // Listened for at once: a run may be over before the kill (an uncached run of docs/ takes about 0.5 s).
      const exited = new Promise((r) => child.on('exit', r));
      await sleep(150 + Math.floor(Math.random() * 450));
      child.kill('SIGKILL');
      await exited;
      const report = JSON.parse(await readFile(out, 'utf8'));
      expect(report.previous === true || report.version === 1).toBe(true);
    }
  }, 60_000);
});
