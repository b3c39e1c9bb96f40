#!/usr/bin/env node
/**
 * The worker pool's entry and everything it imports as one file, dist/run/worker.bundle.js, built from tsc's
 * dist/run/worker.js by `npm run build`. A lint run's workers each import it in about 60 ms where the module graph
 * (372 ES modules, 125 CommonJS files) took about 220 ms, reading one file instead of ~500 from a cold disk, and the
 * bundled code calls across modules directly. pool.ts uses it when present, else worker.js.
 *
 * The bundle holds other people's code (markdown-it, micromark, yaml…), whose licenses ask that their notices go with
 * every copy: each bundled package's name, version, license and license files are written beside it, in
 * dist/run/worker.bundle.js.LICENSE.txt, which the bundle's first line names.
 */
import { build } from 'esbuild';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'run');
const outfile = path.join(dist, 'worker.bundle.js');
const NOTICES_NAME = 'worker.bundle.js.LICENSE.txt';

/**
 * The folders of the packages (below their last `node_modules/`) whose code is in the bundle: inputs of which some
 * bytes are in the output (a module the bundle dropped whole is an input too).
 */
function bundledPackageDirs(metafile) {
  const dirs = new Set();
  const used = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input),
  );
  for (const input of used) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at === -1) continue;
    const length = parts[at + 1]?.startsWith('@') ? 3 : 2;
    dirs.add(parts.slice(0, at + length).join('/'));
  }
  return [...dirs];
}

/** A package's license as its package.json says it (SPDX expression, old `{ type }` forms and lists). */
function declaredLicense(manifest) {
  const name = (entry) => (typeof entry === 'string' ? entry : entry?.type);
  if (manifest.license) return name(manifest.license) ?? 'unknown';
  if (Array.isArray(manifest.licenses)) return manifest.licenses.map(name).filter(Boolean).join(' OR ') || 'unknown';
  return 'unknown';
}

/** Who a package's package.json says wrote it (`author` and `contributors`, as strings or `{ name, email }`). */
function authorsOf(manifest) {
  const named = (person) =>
    typeof person === 'string'
      ? person
      : [person?.name, person?.email && `<${person.email}>`].filter(Boolean).join(' ');
  return [manifest.author, ...(Array.isArray(manifest.contributors) ? manifest.contributors : [])]
    .filter(Boolean)
    .map(named)
    .filter(Boolean);
}

/** LICENSE, LICENCE, COPYING and NOTICE files, with any extension or suffix (`LICENSE-MIT`, `license.md`). */
const LICENSE_FILE = /^(licen[cs]e|copying|notice)(?:[.-]|$)/i;

/** One package's section of the notices: who, what license, and the texts of its license and notice files. */
function noticeOf(dir) {
  const absolute = path.resolve(root, dir);
  const manifest = JSON.parse(readFileSync(path.join(absolute, 'package.json'), 'utf8'));
  const files = readdirSync(absolute)
    .filter((name) => LICENSE_FILE.test(name))
    .sort();
  const title = `${manifest.name}@${manifest.version} (${declaredLicense(manifest)})`;
  const texts = files.map((name) => `${name}:\n\n${readFileSync(path.join(absolute, name), 'utf8').trim()}`);
  // Without a license file, the license's name and the authors the package names (the copyright holders).
  const authors = authorsOf(manifest);
  const body =
    texts.length > 0
      ? texts.join('\n\n')
      : 'The package ships no license file; its package.json names the license above' +
        (authors.length > 0 ? ` and its authors: ${authors.join(', ')}.` : '.');
  return { name: manifest.name, text: `${title}\n${'-'.repeat(title.length)}\n\n${body}\n` };
}

try {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(dist, 'worker.js')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS packages in an ES module bundle call require() for node's own modules: give them one.
    banner: {
      js: [
        `/* Third-party code is bundled in this file: its licenses and notices are in ${NOTICES_NAME}. */`,
        "import { createRequire as bundleRequire } from 'node:module';",
        'const require = bundleRequire(import.meta.url);',
      ].join('\n'),
    },
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  const notices = bundledPackageDirs(result.metafile)
    .map(noticeOf)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const text =
    `worker.bundle.js holds code of these ${notices.length} packages, under their own licenses:\n\n` +
    notices.map((notice) => notice.text).join('\n');
  // Written whole, then put in place: an interrupted build leaves the last complete file, not half of one.
  const target = path.join(dist, NOTICES_NAME);
  writeFileSync(`${target}.tmp`, text);
  renameSync(`${target}.tmp`, target);
} catch (error) {
  console.error(`bundle-worker: ${error.message}`);
  process.exit(1);
}
