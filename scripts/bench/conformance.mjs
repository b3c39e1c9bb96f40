/**
 * Conformance throughput (issue 6): replay the documented requests of docs/ against a fast
 * loopback server (`lockstep serve`, which answers as documented, in its own process as any
 * implementation under test is), through runConformance and through a plain undici `request()`
 * loop that sends the same requests with the same concurrency and reads each body. Replays
 * alternate between the two; the median of each replay's ratio to the loop's replay next to it
 * (the pair shares the machine's state) is judged against the target, runConformance within 1.2x
 * of the plain loop; the ratios of the medians and of the total times are printed beside it.
 *   node scripts/bench/conformance.mjs [--replays 30] [--concurrency 4] [--docs DIR] [--pages FILE] [--warmup SECONDS]
 * `--docs` replays another doc set (default docs/, 14 requests: a replay is short, so per-run
 * costs such as planning the cases weigh more than they do on a larger set). `--pages FILE`
 * replays only the pages it lists (paths relative to each locale folder of DIR, `#` comments),
 * copied to a temporary folder: `--docs /tmp/corpora/graph --pages scripts/bench/graph-slice.txt`
 * is the 420-page Graph slice the README quotes.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    replays: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '4' },
    docs: { type: 'string', default: path.join(root, 'docs') },
    pages: { type: 'string' },
    warmup: { type: 'string', default: '5' },
  },
});
const warmupMs = Number(values.warmup) * 1000;
let docs = path.resolve(values.docs);
let scratch = null;
if (values.pages) {
  const wanted = readFileSync(values.pages, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'lockstep-conformance-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true })); // however the run ends
  let copied = 0;
  for (const locale of readdirSync(docs).filter((d) => statSync(path.join(docs, d)).isDirectory())) {
    for (const page of wanted) {
      const from = path.join(docs, locale, page);
      try {
        statSync(from);
      } catch {
        continue;
      }
      mkdirSync(path.dirname(path.join(scratch, locale, page)), { recursive: true });
      copyFileSync(from, path.join(scratch, locale, page));
      copied++;
    }
  }
  if (copied === 0) {
    console.error(`none of the pages listed in ${values.pages} is in a locale folder of ${docs}`);
    process.exit(2);
  }
  console.log(`${copied} pages of ${docs} listed in ${values.pages}, copied to ${scratch}`);
  docs = scratch;
}
const replays = Math.max(1, Number(values.replays));
const concurrency = Math.max(1, Number(values.concurrency));

const { loadPages } = await import('../../dist/index.js');
const { runConformance } = await import('../../dist/conformance/run.js');
const { casesOf } = await import('../../dist/conformance/cases.js');
const { expectationOf } = await import('../../dist/conformance/match.js');
const { planRequest } = await import('../../dist/conformance/request.js');

const loaded = await loadPages([docs], { cwd: root });
const server = spawn(
  process.execPath,
  [path.join(root, 'bin/lockstep.js'), 'serve', docs, '--port', '0', '--host', '127.0.0.1'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const target = await new Promise((resolve, reject) => {
  let out = '';
  server.once('exit', (code) => reject(new Error(`lockstep serve exited with ${code}`)));
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) {
      server.stdout.removeAllListeners('data');
      server.stdout.resume();
      resolve(m[1]);
    } // keep draining its request log
  });
});

// The requests runConformance sends without scenarios: every exchange case with a comparable
// documented response whose request can be built.
const requests = [];
for (const group of loaded.groups) {
  for (const c of casesOf(group, {})) {
    if (c.kind !== 'exchange' || !expectationOf(c.expected)) continue;
    const planned = planRequest(c.request, { target, vars: {} });
    // else a missing variable: runConformance does not send it either
    if (planned.request) requests.push(planned.request);
  }
}

const conformance = async () => {
  const report = await runConformance([docs], { cwd: root, target, loaded, scenarios: [], concurrency });
  return report;
};
const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
const plain = async () => {
  let next = 0;
  let statuses = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        const res = await request(r.url, {
          method: r.method,
          headers: Object.fromEntries(r.headers),
          body: r.body ?? undefined,
          dispatcher,
        });
        await res.body.text();
        statuses += res.statusCode;
      }
    }),
  );
  return statuses;
};

const first = await conformance();
const shown = path.relative(root, docs);
console.log(
  `${shown && !shown.startsWith('..') ? shown : docs}: ${first.results.length} cases ` +
    `(${first.summary.passed} passed, ${first.summary.failed} failed, ${first.summary.skipped} skipped, ` +
    `${first.summary.errors} errors); the plain loop sends ${requests.length} requests; concurrency ${concurrency}`,
);
if (first.summary.failed + first.summary.errors > 0)
  console.log(
    'note: not every case passed against the docs server:',
    first.results
      .filter((r) => r.status === 'failed' || r.status === 'error')
      .map((r) => `${r.caseId}: ${r.message}`)
      .slice(0, 5),
  );
// Warm up both loops, and the server's JIT, until a few seconds have passed: a freshly started
// server answers several times slower for its first thousands of requests.
for (const started = performance.now(); performance.now() - started < warmupMs;) {
  await conformance();
  await plain();
}

const times = { conformance: [], plain: [] };
const cpu = { conformance: [], plain: [] }; // this process only: the server's CPU is not counted
for (let i = 0; i < replays; i++) {
  for (const [name, fn] of i % 2 === 0
    ? [
        ['conformance', conformance],
        ['plain', plain],
      ]
    : [
        ['plain', plain],
        ['conformance', conformance],
      ]) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    times[name].push(performance.now() - t);
    const used = process.cpuUsage(c0);
    cpu[name].push((used.user + used.system) / 1000);
  }
}
server.kill('SIGTERM');
await dispatcher.close();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const c = median(times.conformance);
const p = median(times.plain);
console.log(`\n| loop | median ms per replay | requests/s | client CPU ms per replay |`);
console.log('| --- | --- | --- | --- |');
console.log(
  `| runConformance (${first.results.length} cases) ` +
    `| ${c.toFixed(1)} | ${Math.round(requests.length / (c / 1000))} | ${median(cpu.conformance).toFixed(1)} |`,
);
console.log(
  `| undici request() (${requests.length} requests) ` +
    `| ${p.toFixed(1)} | ${Math.round(requests.length / (p / 1000))} | ${median(cpu.plain).toFixed(1)} |`,
);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
// Each replay of one loop runs next to one of the other, so the machine's drift (CPU clock, the
// server's scheduling) cancels best in the ratio of each such pair: its median is the figure
// the target is judged on. The ratio of total times is the throughput ratio over all replays.
const paired = median(times.conformance.map((t, i) => t / times.plain[i]));
console.log(
  `\nruntime ratio runConformance / undici loop: ${paired.toFixed(2)} (target ≤ 1.2), ` +
    `median of ${replays} paired replays; ratio of medians ${(c / p).toFixed(2)}, ` +
    `of total times ${(sum(times.conformance) / sum(times.plain)).toFixed(2)}`,
);
