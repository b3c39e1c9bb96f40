#!/usr/bin/env node
/**
 * Makes Debian's chromium available for the browser tests of the HTML dashboard, with fonts that
 * have CJK glyphs (Cyrillic comes with DejaVu; without a CJK font, zh-CN samples render as boxes).
 *
 *   node scripts/ensure-chromium.mjs     prints the browser's path, or exits 1 with one line of reason
 *
 * Installs only through apt-get (the project's machines reach Debian's packages, not browser
 * download sites), and only when running as root; never downloads a browser build of its own.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULT_PATH = '/usr/bin/chromium';
const APT_TIMEOUT_MS = 10 * 60 * 1000;

/** Run a command; resolve with its outcome instead of throwing, so callers can turn it into a reason. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr), error });
    });
  });
}

function hasAccess(file, mode) {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}
const isExecutable = (file) => hasAccess(file, constants.X_OK);
const isReadable = (file) => hasAccess(file, constants.R_OK);

const canApt = () => process.getuid?.() === 0 && isExecutable('/usr/bin/apt-get');

async function hasCjkFont() {
  const r = await run('fc-list', [':lang=zh', 'family']);
  // Without fontconfig's tools, the file fonts-noto-cjk installs tells as much.
  return (r.ok && r.stdout.trim().length > 0) || isReadable('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
}

const lastLine = (text) => text.trim().split('\n').filter(Boolean).pop() ?? '';

async function aptInstall(packages) {
  // Waits for a dpkg lock held by another install instead of failing at once.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const common = ['-qq', '-o', 'DPkg::Lock::Timeout=300'];
  const update = await run('apt-get', [...common, 'update'], { env, timeout: APT_TIMEOUT_MS });
  if (!update.ok) return `apt-get update failed: ${lastLine(update.stderr) || update.error?.message}`;
  const install = await run('apt-get', [...common, 'install', '-y', '--no-install-recommends', ...packages], {
    env,
    timeout: APT_TIMEOUT_MS,
  });
  if (!install.ok)
    return `apt-get install ${packages.join(' ')} failed: ${lastLine(install.stderr) || install.error?.message}`;
  return null;
}

/**
 * The path of a usable chromium, installing it (and a CJK font) with apt-get when possible;
 * otherwise the one-line reason it cannot be had.
 * @returns {Promise<{ path: string } | { reason: string }>}
 */
export async function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH || DEFAULT_PATH;
  const needsBrowser = !isExecutable(wanted);
  const needsFont = !(await hasCjkFont());
  if (needsBrowser && process.env.CHROMIUM_PATH) return { reason: `CHROMIUM_PATH=${wanted} is not an executable file` };
  if (!needsBrowser && !needsFont) return { path: wanted };
  if (!canApt()) {
    if (needsBrowser)
      return { reason: `${wanted} is missing and apt-get cannot install it here (not root, or no apt-get)` };
    // A browser without a CJK font still renders the page; the screenshot will show boxes for zh-CN.
    console.warn(
      '[ensure-chromium] no CJK font (fonts-noto-cjk) and apt-get is not usable: zh-CN text will render as boxes',
    );
    return { path: wanted };
  }
  const packages = [...(needsBrowser ? ['chromium'] : []), ...(needsFont ? ['fonts-noto-cjk'] : [])];
  const failure = await aptInstall(packages);
  if (failure) return isExecutable(wanted) ? { path: wanted } : { reason: failure };
  return isExecutable(wanted) ? { path: wanted } : { reason: `apt-get installed chromium but ${wanted} is not there` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await ensureChromium();
  if ('path' in result) {
    console.log(result.path);
  } else {
    console.error(`ensure-chromium: ${result.reason}`);
    process.exitCode = 1;
  }
}
