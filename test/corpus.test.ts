/**
 * The whole Exchange corpus (4 locales, ~9,000 real pages): extraction must not
 * crash, every page gets a locale and an identity, and every diagnostic points
 * inside its file. Counts per kind and locale are printed for the record.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPages } from '../src/index.js';
import { corporaDir, sharedAvailable } from './helpers/paths.js';

describe.runIf(sharedAvailable('the Exchange corpus test'))('the Exchange corpus', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('extracts every page of every locale without a crash', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-corpus-'));
    await promisify(execFile)('tar', ['-xJf', path.join(corporaDir, 'exchange-docs.tar.xz'), '-C', dir]);
    const started = performance.now();
    const result = await loadPages([path.join(dir, 'exchange')], { cwd: dir });
    const seconds = (performance.now() - started) / 1000;

    expect(result.diagnostics).toEqual([]);
    const table: Record<string, Record<string, number>> = {};
    for (const page of result.pages) {
      expect(page.locale, page.file).not.toBeNull();
      const row = (table[page.locale!] ??= { pages: 0 });
      row['pages']!++;
      for (const s of page.samples) row[s.kind] = (row[s.kind] ?? 0) + 1;
      for (const d of page.diagnostics) {
        expect(d.line, `${page.file}: ${d.message}`).toBeGreaterThanOrEqual(1);
        expect(d.line, `${page.file}: ${d.message}`).toBeLessThanOrEqual(page.lines + 1);
      }
    }
    console.log(
      `[corpus] Exchange: ${result.pages.length} pages, ${result.groups.length} groups in ${seconds.toFixed(1)} s`,
    );
    console.table(table);
    expect(Object.keys(table).sort()).toEqual(['en-US', 'pt-BR', 'ru-RU', 'zh-CN']);
    for (const row of Object.values(table)) {
      expect(row['pages']).toBeGreaterThan(2200);
      expect(row['xml']).toBeGreaterThan(2600);
    }
    // Pages of one page across locales share an identity: most groups hold all four locales.
    const full = result.groups.filter((g) => g.locales.length === 4).length;
    expect(full / result.groups.length).toBeGreaterThan(0.95);
  }, 600_000);
});
