/**
 * Notification matching over real HTTP on loopback: each documented notification is matched with
 * the arrival most like it, out of order says so, and ids a created resource was given are pinned.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackReceiver } from '../src/conformance/callbacks.js';
import { awaitNotifications } from '../src/conformance/notifications.js';
import { loadPages } from '../src/index.js';
import type { Sample } from '../src/sample/sample.js';
import { repoRoot } from './helpers/paths.js';

const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const LIVE = '0b9a3c2e-1111-4a2b-8c3d-123456789abc';

/** The two notifications call-delete documents (pt-BR): terminating, then terminated. */
async function documented(): Promise<Sample[]> {
  const { groups } = await loadPages(['docs/pt-BR/graph/api-reference/beta/api/call-delete.md'], { cwd: repoRoot });
  return groups[0]!.pages[0]!.samples.filter((s) => s.role === 'notification');
}

const notification = (changeType: string, state: string, id = LIVE, extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value: [
    {
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType,
      resource: `/app/calls/${id}`,
      resourceUrl: `/communications/calls/${id}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.call',
        id,
        state,
        ...(state === 'terminated'
          ? {
              resultInfo: {
                '@odata.type': '#microsoft.graph.resultInfo',
                code: '200',
                subcode: '5001',
                message: 'The conversation has ended.',
              },
            }
          : {}),
        ...extra,
      },
    },
  ],
});

let receiver: CallbackReceiver;
beforeEach(async () => {
  receiver = new CallbackReceiver();
  await receiver.start();
});
afterEach(async () => {
  await receiver.stop();
});
const post = async (...bodies: unknown[]) => {
  for (const body of bodies)
    await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
};
/** The call id is pinned to the live one, as a scenario's substitution or a created resource pins it. */
const pins = { exact: new Map(), within: new Map([[CALL, { value: LIVE, why: 'names what the response created' }]]) };

describe('awaiting the documented notifications of a request', () => {
  it('passes notifications as a real service sends them: extra members, other notifications in between', async () => {
    const docs = await documented();
    await post(
      notification('updated', 'establishing'),
      notification('updated', 'terminating'),
      notification('deleted', 'terminated'),
    );
    const verdicts = await awaitNotifications(docs, receiver, 0, 1000, { pins });
    expect(verdicts.map((v) => v.status)).toEqual(['passed', 'passed']);
  });

  it('says when they arrive out of documented order', async () => {
    const docs = await documented();
    await post(notification('deleted', 'terminated'), notification('updated', 'terminating'));
    const verdicts = await awaitNotifications(docs, receiver, 0, 1000, { pins });
    expect(verdicts.map((v) => v.status)).toEqual(['passed', 'failed']);
    expect(verdicts[1]!.message).toBe(
      'arrived out of documented order: before example/notification---terminating#1, which is documented before it',
    );
  });

  it('an unrelated early arrival that fits a later notification is not taken for it out of order', async () => {
    const docs = await documented();
    // A "terminated" for the same call arrives early (a setup's own hang-up, say); then terminating, then terminated.
    await post(
      notification('deleted', 'terminated'),
      notification('updated', 'terminating'),
      notification('deleted', 'terminated'),
    );
    const verdicts = await awaitNotifications(docs, receiver, 0, 1000, { pins });
    expect(verdicts.map((v) => v.status)).toEqual(['passed', 'passed']);
  });

  it('diffs a missing one against the arrival most like it, not the first that came', async () => {
    const docs = await documented();
    await post(
      notification('updated', 'establishing'),
      notification('updated', 'terminating'),
      notification('deleted', 'terminated', LIVE, { state: 'gone' }),
    );
    const started = Date.now();
    const verdicts = await awaitNotifications(docs, receiver, 0, 300, { pins });
    expect(Date.now() - started).toBeLessThan(2000); // one wait for all of them
    expect(verdicts[0]!.status).toBe('passed');
    expect(verdicts[1]!.message).toBe(
      'no matching notification within 300 ms; the closest (arrival 3 of 3): ' +
        'member value[0].resourceData.state: documented "terminated", got "gone"',
    );
    expect(verdicts[1]!.checks.map((c) => c.path)).toEqual(['notification $.value[0].resourceData.state']);
  });

  it('fails a notification that names another resource than the one created', async () => {
    const docs = await documented();
    const other = 'ffffffff-1111-4a2b-8c3d-123456789abc';
    await post(notification('updated', 'terminating', other), notification('deleted', 'terminated'));
    const verdicts = await awaitNotifications(docs, receiver, 0, 300, { pins });
    expect(verdicts[0]!.status).toBe('failed');
    expect(verdicts[0]!.message).toContain(
      `member value[0].resourceUrl: documented "/communications/calls/${CALL}" (names what the response created: ` +
        `must be "/communications/calls/${LIVE}"), got "/communications/calls/${other}"`,
    );
    // Without the pin an id matches by shape only, which is what let this bug pass before.
    expect((await awaitNotifications(docs, receiver, 0, 300, {})).map((v) => v.status)).toEqual(['passed', 'passed']);
  });

  it('says so when nothing arrives', async () => {
    const verdicts = await awaitNotifications(await documented(), receiver, 0, 100, { pins });
    expect(verdicts.map((v) => v.message)).toEqual([
      'no notification arrived within 100 ms',
      'no notification arrived within 100 ms',
    ]);
  });
});
