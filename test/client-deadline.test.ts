/**
 * An exchange's deadline is for the implementation's answer: loading the HTTP client (undici, imported on the first
 * exchange of a process) is no part of it. Here undici takes longer to load than the whole timeout; the first
 * exchange with a loopback server must still get its answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exchange } from '../src/conformance/client.js';

const IMPORT_MS = 1_500;
const TIMEOUT_MS = 1_000;
vi.mock('undici', async (importOriginal) => {
  await new Promise((resolve) => setTimeout(resolve, IMPORT_MS));
  return importOriginal();
});

let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((_request, response) => response.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('the first exchange of a process', () => {
  it('starts its deadline once the client is loaded, not before', async () => {
    const started = Date.now();
    const response = await exchange(
      { method: 'GET', url, headers: [], body: null },
      { timeoutMs: TIMEOUT_MS, maxResponseBytes: 1024, maxRedirects: 0 },
    );
    expect(response.status).toBe(200);
    expect(response.body).toBe('{"ok":true}');
    // The load did take longer than the timeout: the test is about that case.
    expect(Date.now() - started).toBeGreaterThanOrEqual(IMPORT_MS);
  });
});
