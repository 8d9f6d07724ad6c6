/**
 * The campaign page's queue: calls in flight first, then parked ones, then the
 * waiting ones in the order the claim takes them, numbered from 1 — the same
 * ranking as a direct sort of the campaign's rows, whatever else its owner has
 * queued — with the open count from the counters, and another workspace's
 * campaign not found.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listWaitingCalls } from '../../../src/lib/campaigns/list-waiting-calls';
import { makeTenant } from '../../factories';
import { makeCallerCampaign, makeCampaign } from '../../factories/campaigns';
import { makeContacts } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOW = new Date('2026-06-10T12:00:00Z');

/** Puts the campaign's rows (id order) in the given states, counters with them, as the engine would. */
async function setRows(campaignId: string, states: { status: string; inMinutes?: number }[]) {
  const rows = await t.sql<{ id: number }[]>`
    select id from call_queue where campaign_id = ${campaignId} order by id`;
  for (const [i, s] of states.entries()) {
    const row = rows[i];
    if (!row) break;
    const at =
      s.inMinutes === undefined
        ? 'infinity'
        : new Date(NOW.getTime() + s.inMinutes * 60_000).toISOString();
    await t.sql`update call_queue set status = ${s.status}, scheduled_at = ${at}::timestamptz
      where id = ${row.id}`;
  }
  await t.sql`update call_campaigns k set
      queued_calls = (select count(*) from call_queue q where q.campaign_id = k.id and q.status = 'queued'),
      active_calls = (select count(*) from call_queue q where q.campaign_id = k.id
                       and q.status in ('dispatching', 'in_progress'))
    where k.id = ${campaignId}`;
}

async function waiting(tenantId: string, campaignId: string, limit = 50) {
  const result = await listWaitingCalls(t.db, tenantId, campaignId, limit, NOW);
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

describe('listWaitingCalls', () => {
  it('ranks waiting calls as a direct sort of the campaign’s rows does, after the calls in flight', async () => {
    const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
      contacts: 12,
      limit: 2,
      at: NOW,
    });
    // The same owner's other campaign, due earlier: it shares the index, not the positions.
    const others = await makeContacts(t.db, tenant.id, [{ name: 'Other' }, { name: 'Another' }]);
    const other = await makeCampaign(
      t.db,
      tenant.id,
      user.id,
      { contacts: { ids: others.map((o) => o.id) } },
      NOW,
    );
    await setRows(other.id, [
      { status: 'queued', inMinutes: -30 },
      { status: 'queued', inMinutes: -20 },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              status: fc.constant('queued'),
              inMinutes: fc.integer({ min: -5, max: 5 }),
            }),
            fc.constantFrom({ status: 'in_progress' }, { status: 'dispatching' }),
            fc.constantFrom({ status: 'completed', inMinutes: 0 }),
          ),
          { minLength: 12, maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 12 }),
        async (states, limit) => {
          await setRows(campaign.id, states);
          const direct = await t.sql<{ id: number }[]>`
            select id from call_queue where campaign_id = ${campaign.id} and status = 'queued'
            order by scheduled_at, id`;
          const inFlight = await t.sql<{ id: number }[]>`
            select id from call_queue where campaign_id = ${campaign.id}
              and status in ('dispatching', 'in_progress') order by id`;
          const expected = [
            ...inFlight.map((r) => ({ id: Number(r.id), position: null })),
            ...direct.map((r, i) => ({ id: Number(r.id), position: i + 1 })),
          ].slice(0, limit);
          const got = await waiting(tenant.id, campaign.id, limit);
          expect(got.items.map(({ id, position }) => ({ id, position }))).toEqual(expected);
          expect(got.open).toBe(inFlight.length + direct.length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('estimates waits from the window and the calls ahead over the owner’s slots', async () => {
    const { tenant, campaign } = await makeCallerCampaign(t.db, { contacts: 4, limit: 2, at: NOW });
    await setRows(campaign.id, [
      { status: 'queued', inMinutes: 0 },
      { status: 'queued', inMinutes: 0 },
      { status: 'queued', inMinutes: 0 },
      { status: 'queued', inMinutes: 10 },
    ]);
    const got = await waiting(tenant.id, campaign.id);
    // No call has ended yet: 90 s a call; two slots; the fourth also waits for its time.
    expect(got.items.map((i) => [i.position, i.estimatedWaitSeconds])).toEqual([
      [1, 0],
      [2, 0],
      [3, 90],
      [4, 600 + 90],
    ]);
  });

  it('lists a paused campaign’s parked calls without positions', async () => {
    const { tenant, campaign } = await makeCallerCampaign(t.db, { contacts: 3, at: NOW });
    await setRows(campaign.id, [
      { status: 'queued' },
      { status: 'queued' },
      { status: 'in_progress' },
    ]);
    const got = await waiting(tenant.id, campaign.id);
    expect(got.items.map((i) => [i.status, i.position, i.scheduledAt])).toEqual([
      ['in_progress', null, null],
      ['queued', null, null],
      ['queued', null, null],
    ]);
    expect(got.open).toBe(3);
  });

  it('answers NOT_FOUND for another workspace’s campaign and a malformed id', async () => {
    const { campaign } = await makeCallerCampaign(t.db, { at: NOW });
    const stranger = await makeTenant(t.db);
    const foreign = await listWaitingCalls(t.db, stranger.id, campaign.id);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const malformed = await listWaitingCalls(t.db, stranger.id, 'not-a-uuid');
    expect(malformed).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
