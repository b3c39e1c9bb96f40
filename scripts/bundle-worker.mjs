#!/usr/bin/env node
/**
 * The worker pool's entry and everything it imports as one file, dist/run/worker.bundle.js, built from tsc's
 * dist/run/worker.js by `npm run build`. A lint run's workers each import it in about 60 ms where the module graph
 * (372 ES modules, 125 CommonJS files) took about 220 ms, reading one file instead of ~500 from a cold disk, and the
 * bundled code calls across modules directly. pool.ts uses it when present, else worker.js.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'run');
try {
  await build({
    entryPoints: [path.join(dist, 'worker.js')],
    outfile: path.join(dist, 'worker.bundle.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS packages in an ES module bundle call require() for node's own modules: give them one.
    banner: {
      js: "import { createRequire as bundleRequire } from 'node:module';\nconst require = bundleRequire(import.meta.url);",
    },
    legalComments: 'eof',
    logLevel: 'warning',
  });
} catch (error) {
  console.error(`bundle-worker: ${error.message}`);
  process.exit(1);
}
