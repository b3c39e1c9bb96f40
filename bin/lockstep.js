#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm install`'s prepare step).
import { run } from '../dist/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
