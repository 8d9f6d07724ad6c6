/**
 * The coalescing emitter: a flood of touches becomes at most one NOTIFY per
 * (type, id) per interval, sent on the pool (never inside the caller's
 * transaction), carrying ids only.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoalescingEmitter } from '../../../src/lib/events/coalescing-emitter';
import { sharedLiveEmitter } from '../../../src/lib/events/shared-emitter';
import { LIVE_CHANNEL, parseNotice } from '../../../src/lib/events/types';
import { expectConsoleError } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/db';
import { eventually } from './helpers';

const t = useTestDatabase();
let heard: { at: number; payload: string }[] = [];
let unlisten: () => Promise<void>;

beforeEach(async () => {
  heard = [];
  const meta = await t.sql.listen(LIVE_CHANNEL, (payload) =>
    heard.push({ at: Date.now(), payload }),
  );
  unlisten = meta.unlisten;
});
afterEach(async () => {
  await unlisten();
});

const tenantId = randomUUID();

describe('createCoalescingEmitter', () => {
  it('turns a burst of touches into one NOTIFY per entity, ids only', async () => {
    const emitter = createCoalescingEmitter(t.sql, { intervalMs: 200 });
    const a = randomUUID();
    const b = randomUUID();
    for (let i = 0; i < 500; i++) {
      emitter.touch(tenantId, 'campaign.progress', a);
      emitter.touch(tenantId, 'campaign.progress', b);
    }
    await eventually(() => heard.length >= 2, 5000, 'the notifications');
    await sleep(400);
    await emitter.stop();
    expect(heard.map((h) => parseNotice(h.payload)?.id).sort()).toEqual([a, b].sort());
    for (const h of heard) {
      expect(JSON.parse(h.payload)).toEqual({
        tenantId,
        type: 'campaign.progress',
        id: expect.any(String),
      });
    }
  });

  it('sends at most one NOTIFY per interval while touches keep coming (500 a second)', async () => {
    const emitter = createCoalescingEmitter(t.sql, { intervalMs: 250 });
    const id = randomUUID();
    const started = Date.now();
    while (Date.now() - started < 1000) {
      for (let i = 0; i < 5; i++) emitter.touch(tenantId, 'campaign.progress', id);
      await sleep(10);
    }
    await emitter.stop();
    await sleep(100);
    // ~1 s of touches at a 250 ms interval: the first at once, then one per interval.
    expect(heard.length).toBeGreaterThanOrEqual(4);
    expect(heard.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < heard.length - 1; i++) {
      expect((heard[i]?.at ?? 0) - (heard[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(200);
    }
  });

  it('is not part of the caller’s transaction: a rolled-back caller still notifies', async () => {
    const emitter = createCoalescingEmitter(t.sql, { intervalMs: 50 });
    const id = randomUUID();
    await t.sql
      .begin(async (tx) => {
        await tx`select 1`;
        emitter.touch(tenantId, 'import.progress', id);
        await emitter.flush();
        throw new Error('roll back');
      })
      .catch(() => {});
    await eventually(() => heard.length === 1, 5000, 'the notification');
    await emitter.stop();
  });

  it('refuses an id that is not one (nothing beyond ids goes out) and ignores touches after stop', async () => {
    expectConsoleError();
    const emitter = createCoalescingEmitter(t.sql, { intervalMs: 50 });
    emitter.touch('not-a-tenant', 'campaign.progress', randomUUID());
    await emitter.stop();
    emitter.touch(tenantId, 'campaign.progress', randomUUID());
    await emitter.flush();
    await sleep(200);
    expect(heard).toEqual([]);
  });

  it('gives a process one shared emitter per pool', async () => {
    const shared = sharedLiveEmitter(t.sql);
    expect(sharedLiveEmitter(t.sql)).toBe(shared);
    const id = randomUUID();
    shared.touch(tenantId, 'campaign.status', id);
    shared.touch(tenantId, 'campaign.status', id);
    await shared.flush();
    await eventually(() => heard.length === 1, 5000, 'the notification');
    expect(parseNotice(heard[0]?.payload ?? '')?.id).toBe(id);
  });
});
