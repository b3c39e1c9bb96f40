#!/usr/bin/env node
/**
 * How much of a cold lint's CPU goes to V8 compiling optimized code, and how much of that compiles a function again
 * (its optimized code thrown away at a case it had no feedback for):
 *   node scripts/bench/compile-time.mjs --corpus DIR [--runs 3] [--source-locale TAG] [--baseline-dist DIR]
 * Each run is `lockstep lint DIR --no-cache -f json` under `node --trace-opt`, alternating with the baseline build's
 * (another commit's `dist/`) when one is given. The times V8 prints for each completed optimizing compilation are
 * added up (the compile threads' own clocks). "Again": every compilation of a function after its first one in the
 * same thread, a function being its SharedFunctionInfo, whose address differs between threads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE =
  'usage: node scripts/bench/compile-time.mjs --corpus DIR [--runs N] [--source-locale TAG] [--baseline-dist DIR]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'source-locale': { type: 'string' },
      'baseline-dist': { type: 'string' },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
const runs = Number(values.runs);
if (!values.corpus || !Number.isInteger(runs) || runs < 1) {
  console.error(USAGE);
  process.exit(2);
}

if (!existsSync(values.corpus)) {
  console.error(`compile-time: no such corpus folder: ${values.corpus}`);
  process.exit(2);
}
if (values['baseline-dist'] && !existsSync(path.resolve(values['baseline-dist'], '..', 'bin', 'lockstep.js'))) {
  console.error(
    `compile-time: --baseline-dist ${values['baseline-dist']} is no lockstep build (no ../bin/lockstep.js)`,
  );
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const builds = [{ name: 'lockstep', bin: path.resolve(here, '..', '..', 'bin', 'lockstep.js') }];
if (values['baseline-dist'])
  builds.unshift({ name: 'baseline', bin: path.resolve(values['baseline-dist'], '..', 'bin', 'lockstep.js') });

/** `[completed compiling 0x… <JSFunction name (sfi = 0x…)> (target TURBOFAN) … - took a, b, c ms]` */
const COMPLETED =
  /^\[completed compiling .*?<JSFunction (\S*) \(sfi = (0x[0-9a-f]+)\)>.* took ([\d.]+), ([\d.]+), ([\d.]+) ms/;

function measure(bin) {
  const args = ['--trace-opt', bin, 'lint', values.corpus, '--no-cache', '-f', 'json'];
  if (values['source-locale']) args.push('--source-locale', values['source-locale']);
  // The trace and the report share stdout; only the trace's lines start with `[completed compiling`.
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${bin} lint failed (${run.status}): ${run.stderr}`);
  const bySfi = new Map();
  let total = 0;
  let again = 0;
  const againByName = new Map();
  for (const line of run.stdout.split('\n')) {
    const m = COMPLETED.exec(line);
    if (!m) continue;
    const ms = Number(m[3]) + Number(m[4]) + Number(m[5]);
    total += ms;
    if (bySfi.has(m[2])) {
      again += ms;
      againByName.set(m[1], (againByName.get(m[1]) ?? 0) + ms);
    } else bySfi.set(m[2], m[1]);
  }
  return { total, again, againByName };
}

const results = new Map(builds.map((b) => [b.name, []]));
for (let round = 1; round <= runs; round++) {
  for (const build of builds) {
    const r = measure(build.bin);
    results.get(build.name).push(r);
    console.log(
      `round ${round}/${runs} ${build.name}: compiling ${(r.total / 1000).toFixed(2)} s, ` +
        `of it again ${(r.again / 1000).toFixed(2)} s`,
    );
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, rs] of results) {
  const total = median(rs.map((r) => r.total)) / 1000;
  const again = median(rs.map((r) => r.again)) / 1000;
  console.log(`${name}: median ${total.toFixed(2)} s compiling, ${again.toFixed(2)} s of it again`);
}
const last = results.get('lockstep').at(-1);
console.log('compiled again most (lockstep, last run):');
for (const [fn, ms] of [...last.againByName].sort((a, b) => b[1] - a[1]).slice(0, 10))
  console.log(`${String(Math.round(ms)).padStart(7)} ms  ${fn || '(anonymous)'}`);
