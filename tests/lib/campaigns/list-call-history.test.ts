/**
 * The campaign page's call history: calls on the line or ended, latest first,
 * in pages of 25 that say whether another follows, each with the recording
 * and transcript of its execution's `completed` report (https links only);
 * another workspace's campaign is not found.
 */
import { describe, expect, it } from 'vitest';
import { HISTORY_PAGE_SIZE, listCallHistory } from '../../../src/lib/campaigns/list-call-history';
import { makeTenant } from '../../factories';
import { makeCaller, makeCampaign } from '../../factories/campaigns';
import { makeContacts } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOW = new Date('2026-06-10T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

async function campaignWith(contacts: number) {
  const tenant = await makeTenant(t.db);
  const user = await makeCaller(t.db, tenant, 5);
  const made = await makeContacts(
    t.db,
    tenant.id,
    Array.from({ length: contacts }, (_, i) => ({ name: `Person ${i}` })),
  );
  const campaign = await makeCampaign(
    t.db,
    tenant.id,
    user.id,
    { contacts: { ids: made.map((c) => c.id) } },
    new Date(NOW.getTime() - 3_600_000),
  );
  const rows = await t.sql<{ id: number }[]>`
    select id from call_queue where campaign_id = ${campaign.id} order by id`;
  return { tenant, campaign, ids: rows.map((r) => Number(r.id)) };
}

describe('listCallHistory', () => {
  it('lists dialled and ended calls latest first, 25 a page, with the final report of each', async () => {
    const { tenant, campaign, ids } = await campaignWith(30);
    // Rows 0–27 were dialled i minutes ago (row 0 most recently); rows 28–29 are still queued.
    for (const [i, id] of ids.slice(0, 28).entries()) {
      const finished = i % 2 === 0 ? minutesAgo(i) : null;
      await t.sql`update call_queue set status = ${finished ? 'completed' : 'in_progress'},
          dialled_at = ${minutesAgo(i + 0.5)}, finished_at = ${finished},
          provider_call_id = ${`exec-${i}`}, attempt = 1
        where id = ${id}`;
    }
    const report = (recording: string) => ({
      id: 'exec-0',
      status: 'completed',
      transcript: 'Hello, this is Dana.',
      telephony_data: { recording_url: recording },
    });
    await t.sql`insert into call_events (tenant_id, provider, execution_id, status, raw) values
      (${tenant.id}, 'simulated', 'exec-0', 'ringing', ${JSON.stringify({ id: 'exec-0' })}::jsonb),
      (${tenant.id}, 'simulated', 'exec-0', 'completed', ${JSON.stringify(report('https://rec.example/0.mp3'))}::jsonb),
      (${tenant.id}, 'simulated', 'exec-2', 'completed', ${JSON.stringify(report('javascript:alert(1)'))}::jsonb)`;

    const first = await listCallHistory(t.db, tenant.id, campaign.id);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.data.hasMore).toBe(true);
    expect(first.data.items).toHaveLength(HISTORY_PAGE_SIZE);
    // Ordered by finish, else dial time: row 0 (finished 0 min ago), row 1 (dialled 1.5 ago), …
    expect(first.data.items.slice(0, 3).map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(first.data.items[0]).toMatchObject({
      status: 'completed',
      recordingUrl: 'https://rec.example/0.mp3',
      transcript: 'Hello, this is Dana.',
    });
    expect(first.data.items[1]).toMatchObject({ recordingUrl: null, transcript: null });
    expect(first.data.items[2]?.recordingUrl).toBeNull();

    const second = await listCallHistory(t.db, tenant.id, campaign.id, 2);
    if (!second.ok) throw new Error(second.error.message);
    expect(second.data.items.map((r) => r.id)).toEqual(ids.slice(25, 28));
    expect(second.data.hasMore).toBe(false);
    const past = await listCallHistory(t.db, tenant.id, campaign.id, 9);
    expect(past.ok && past.data).toMatchObject({ items: [], hasMore: false, page: 9 });
  });

  it('holds the calls on the line and the ended ones, not those waiting for a retry or never dialled', async () => {
    const { tenant, campaign, ids } = await campaignWith(5);
    const [retry, onLine, answered, cancelled, waiting] = ids;
    await t.sql`update call_queue set status = 'queued', outcome = 'no_answer', attempt = 1,
        dialled_at = ${minutesAgo(1)} where id = ${retry ?? 0}`;
    await t.sql`update call_queue set status = 'in_progress', attempt = 1,
        dialled_at = ${minutesAgo(2)} where id = ${onLine ?? 0}`;
    await t.sql`update call_queue set status = 'completed', outcome = 'completed', attempt = 1,
        dialled_at = ${minutesAgo(4)}, finished_at = ${minutesAgo(3)} where id = ${answered ?? 0}`;
    // Cancelled before it was ever dialled (a cancel ends every waiting row at once): no call.
    await t.sql`update call_queue set status = 'cancelled', outcome = 'campaign_cancelled',
        finished_at = ${minutesAgo(0)} where id = ${cancelled ?? 0}`;
    const history = await listCallHistory(t.db, tenant.id, campaign.id);
    if (!history.ok) throw new Error(history.error.message);
    expect(history.data.items.map((r) => [r.id, r.status])).toEqual([
      [onLine, 'in_progress'],
      [answered, 'completed'],
    ]);
    expect(history.data.items.map((r) => r.id)).not.toContain(waiting);
    expect(history.data.hasMore).toBe(false);
  });

  it('does not find another workspace’s campaign', async () => {
    const { campaign } = await campaignWith(1);
    const other = await makeTenant(t.db);
    expect(await listCallHistory(t.db, other.id, campaign.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
