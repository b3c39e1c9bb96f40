/**
 * The vitest entry takes pages a caller already loaded (`loaded`), as runConformance does: its cases
 * come from them, not from reading `paths` again. Here `paths` names nothing, so a suite that read
 * them would find no case and fail "finds cases to run".
 */
import { afterAll } from 'vitest';
import { loadPages } from '../src/index.js';
import { conformanceSuite } from '../src/vitest.js';
import { close, startDocsServer } from './helpers/servers.js';
import { repoRoot } from './helpers/paths.js';

const docs = await startDocsServer();
afterAll(() => close(docs.server));
const loaded = await loadPages(['docs/*/exchange/**/*.md'], { cwd: repoRoot });
await conformanceSuite({ paths: ['no-such-docs'], loaded, target: docs.url, cwd: repoRoot });
