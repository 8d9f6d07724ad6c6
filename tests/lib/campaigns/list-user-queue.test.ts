/** GET /api/queue's data: the signed-in user's calls to come, across campaigns, in dial order. */
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { listUserQueue } from '../../../src/lib/campaigns/list-user-queue';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  manualProvider,
  setSystemCallLimit,
} from '../../factories/campaigns';
import { makeContacts, uniquePhone } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOON = new Date('2026-06-10T12:00:00Z');

async function setup() {
  const tenant = await makeTenant(t.db);
  const user = await makeCaller(t.db, tenant, 1);
  const people = await makeContacts(
    t.db,
    tenant.id,
    Array.from({ length: 4 }, (_, i) => ({ name: `Q ${i}`, phoneE164: uniquePhone() })),
  );
  const first = await makeCampaign(
    t.db,
    tenant.id,
    user.id,
    { contacts: { ids: people.slice(0, 2).map((p) => p.id) }, useContactTimezone: false },
    NOON,
  );
  const second = await makeCampaign(
    t.db,
    tenant.id,
    user.id,
    { contacts: { ids: people.slice(2).map((p) => p.id) }, useContactTimezone: false },
    new Date(NOON.getTime() + 60_000),
  );
  return { tenant, user, first, second };
}

describe('listUserQueue', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('leads with the call ringing now, then the queued ones across campaigns in dial order, page by page', async () => {
    const { tenant, user, first, second } = await setup();
    const { providerFor } = manualProvider();
    await runDispatchCycle({ db: t.db, sql: t.sql, providerFor, now: () => NOON });

    const page1 = await listUserQueue(t.db, tenant.id, user.id, { limit: 2 });
    if (!page1.ok) throw new Error(page1.error.message);
    expect(page1.data.active.map((r) => [r.campaignId, r.status])).toEqual([
      [first.id, 'in_progress'],
    ]);
    expect(page1.data.items.map((r) => r.campaignId)).toEqual([first.id, second.id]);
    expect(page1.data.nextAfter).not.toBeNull();

    const page2 = await listUserQueue(t.db, tenant.id, user.id, {
      limit: 2,
      after: page1.data.nextAfter ?? undefined,
    });
    if (!page2.ok) throw new Error(page2.error.message);
    expect(page2.data.active).toEqual([]);
    expect(page2.data.items.map((r) => r.campaignId)).toEqual([second.id]);
    expect(page2.data.nextAfter).toBeNull();
    const ids = [...page1.data.items, ...page2.data.items].map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('shows another member and another tenant nothing of this user’s queue', async () => {
    const { tenant, user } = await setup();
    const colleague = await makeCaller(t.db, tenant, 1);
    const mine = await listUserQueue(t.db, tenant.id, colleague.id, { limit: 50 });
    expect(mine.ok && mine.data.items).toEqual([]);
    const other = await makeTenant(t.db);
    const foreign = await listUserQueue(t.db, other.id, user.id, { limit: 50 });
    expect(foreign.ok && foreign.data.items).toEqual([]);
  });

  it('refuses a cursor it did not give out', async () => {
    const { tenant, user } = await setup();
    for (const after of ['nope', Buffer.from('{"at":1}').toString('base64url')]) {
      const result = await listUserQueue(t.db, tenant.id, user.id, { limit: 5, after });
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});
