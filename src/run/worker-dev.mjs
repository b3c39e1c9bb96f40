// Worker entry when lockstep runs from its TypeScript sources (vitest on src/): worker threads
// do not get vite's transform, so the worker loads its .ts modules through tsx (a dev dependency).
// Built code (dist/) uses worker.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
export const identify = worker.identify;
