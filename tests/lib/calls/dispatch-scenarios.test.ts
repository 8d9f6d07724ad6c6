/**
 * The seed's dispatch scenarios, exactly, against real PostgreSQL with a
 * provider the test drives and a fake clock.
 */
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { createCampaignFromCsv } from '../../../src/lib/campaigns/create-from-csv';
import { callQueue } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCallerCampaign,
  makeCampaign,
  manualProvider,
  queueRowsOf,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { makeContacts } from '../../factories/contacts';
import { testImportLimits } from '../../factories/imports';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });
const NOON = new Date('2026-06-10T12:00:00Z'); // a Wednesday

function cycle(providerFor: ReturnType<typeof manualProvider>['providerFor'], now: Date) {
  return runDispatchCycle({ db: t.db, sql: t.sql, providerFor, now: () => now });
}

function complete(tenantId: string, executionId: string, status = 'completed') {
  return recordCallEvent(t.db, tenantId, 'simulated', {
    id: executionId,
    status,
    conversation_duration: 42,
  });
}

const queueOf = (tenantId: string, campaignId: string) => queueRowsOf(t.db, tenantId, campaignId);

async function contactsFor(tenantId: string, n: number, offset: number, named = true) {
  const rows = await makeContacts(
    t.db,
    tenantId,
    Array.from({ length: n }, (_, i) => ({
      name: named ? `Contact ${offset + i}` : '',
      phoneE164: `+1415${String(2_000_000 + offset + i)}`,
    })),
  );
  return rows.map((r) => r.id);
}

describe('dispatch scenarios', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('1: one user, 5 contacts, limit 2 → 2 start, 3 wait; one completes → the next starts', async () => {
    await setSystemCallLimit(t.db, 100);
    const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
      contacts: 5,
      limit: 2,
      at: NOON,
    });
    const { dialled, providerFor } = manualProvider();

    expect((await cycle(providerFor, NOON)).dialled).toBe(2);
    const rows = await queueOf(tenant.id, campaign.id);
    expect(rows.filter((r) => r.status === 'in_progress')).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'queued')).toHaveLength(3);
    expect((await cycle(providerFor, NOON)).dialled).toBe(0); // still at the limit

    await complete(tenant.id, dialled[0]?.executionId ?? '');
    expect((await cycle(providerFor, NOON)).dialled).toBe(1);
    expect(dialled).toHaveLength(3);
    expect((await slotsInFlight(t.db))[user.id]).toBe(2);
  });

  it('2: users A and B, 5 queued each, limits 2 and 2, system 3 → 2 + 1; a call of the one with 2 completes → the other gets the slot', async () => {
    await setSystemCallLimit(t.db, 3);
    const tenant = await makeTenant(t.db);
    const a = await makeCaller(t.db, tenant, 2);
    const b = await makeCaller(t.db, tenant, 2);
    await makeCampaign(
      t.db,
      tenant.id,
      a.id,
      { contacts: { ids: await contactsFor(tenant.id, 5, 100) } },
      NOON,
    );
    await makeCampaign(
      t.db,
      tenant.id,
      b.id,
      { contacts: { ids: await contactsFor(tenant.id, 5, 200) } },
      NOON,
    );
    const { dialled, providerFor } = manualProvider();

    expect((await cycle(providerFor, NOON)).dialled).toBe(3);
    const slots = await slotsInFlight(t.db);
    expect(slots.system).toBe(3);
    const [two, one] = (slots[a.id] === 2 ? [a, b] : [b, a]).map((u) => u.id);
    expect(slots[one ?? '']).toBe(1);

    expect(dialled).toHaveLength(3);
    // Complete one call of the user holding two slots.
    const rows = await withTenant(t.db, tenant.id, (tx) =>
      tx
        .select()
        .from(callQueue)
        .where(
          and(
            eq(callQueue.tenantId, tenant.id),
            eq(callQueue.userId, two ?? ''),
            eq(callQueue.status, 'in_progress'),
          ),
        ),
    );
    expect(rows).toHaveLength(2);
    await complete(tenant.id, rows[0]?.providerCallId ?? '');

    expect((await cycle(providerFor, NOON)).dialled).toBe(1);
    const after = await slotsInFlight(t.db);
    expect(after[one ?? '']).toBe(2);
    expect(after[two ?? '']).toBe(1);
    expect(after.system).toBe(3);
  });

  it('3: window 9–18 → no call at 18:00; the rest are called from 9:00 the next day', async () => {
    await setSystemCallLimit(t.db, 100);
    const window = { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 9 * 60, endMinute: 18 * 60 };
    const { tenant, campaign } = await makeCallerCampaign(t.db, {
      contacts: 3,
      at: new Date('2026-06-10T21:00:00Z'), // 17:00 in New York
      campaign: { window, timezone: 'America/New_York', useContactTimezone: false },
    });
    const { dialled, providerFor } = manualProvider();
    expect((await cycle(providerFor, new Date('2026-06-10T21:00:00Z'))).dialled).toBe(1);
    await complete(tenant.id, dialled[0]?.executionId ?? '');

    const six = new Date('2026-06-10T22:00:00Z'); // 18:00 in New York
    const atSix = await cycle(providerFor, six);
    expect(atSix.dialled).toBe(0);
    expect(atSix.rescheduled).toBe(2);
    const waiting = (await queueOf(tenant.id, campaign.id)).filter((r) => r.status === 'queued');
    expect(waiting.map((r) => r.scheduledAt.toISOString())).toEqual([
      '2026-06-11T13:00:00.000Z',
      '2026-06-11T13:00:00.000Z',
    ]);
    expect((await cycle(providerFor, new Date('2026-06-11T12:59:00Z'))).dialled).toBe(0);
    expect((await cycle(providerFor, new Date('2026-06-11T13:00:00Z'))).dialled).toBe(1);
  });

  it('4: a contact with a name is called before one without', async () => {
    await setSystemCallLimit(t.db, 100);
    const tenant = await makeTenant(t.db);
    const user = await makeCaller(t.db, tenant, 1);
    const unnamed = await contactsFor(tenant.id, 1, 400, false);
    const named = await contactsFor(tenant.id, 1, 401, true);
    await makeCampaign(
      t.db,
      tenant.id,
      user.id,
      { contacts: { ids: [...unnamed, ...named] } },
      NOON,
    );
    const { dialled, providerFor } = manualProvider();
    await cycle(providerFor, NOON);
    expect(dialled.map((d) => d.to)).toEqual(['+14152000401']);
    await complete(tenant.id, dialled[0]?.executionId ?? '');
    await cycle(providerFor, NOON);
    expect(dialled.map((d) => d.to)).toEqual(['+14152000401', '+14152000400']);
  });

  it('5: a CSV of 20 rows → validated contacts, a campaign, and a queue scheduled in each contact’s window', async () => {
    const tenant = await makeTenant(t.db);
    const user = await makeCaller(t.db, tenant, 2);
    await makeContacts(t.db, tenant.id, [{ name: 'Already Here', phoneE164: '+13125550100' }]);
    const lines = ['name,phone,timezone,priority'];
    for (let i = 0; i < 18; i++) {
      const zone = i % 2 === 0 ? 'America/Chicago' : 'America/New_York';
      lines.push(
        `Lead ${i},(312) 555-${String(100 + i).padStart(4, '0')},${zone},${i === 5 ? 50 : ''}`,
      );
    }
    lines.push('Broken Phone,12345,,', 'No Phone,,,');
    const form = new FormData();
    form.append(
      'campaign',
      JSON.stringify({
        name: 'From the spreadsheet',
        agentId: 'agent-7',
        window: { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 },
        timezone: 'America/Chicago',
      }),
    );
    form.append('file', new Blob([lines.join('\n')], { type: 'text/csv' }), 'leads.csv');
    const request = new Request('http://localhost/api/campaigns/upload-csv', {
      method: 'POST',
      body: form,
    });
    const created = await createCampaignFromCsv(
      {
        db: t.db,
        sql: t.sql,
        limits: testImportLimits(),
        tenantId: tenant.id,
        userId: user.id,
        now: NOON,
      },
      request,
    );
    if (!created.ok) throw new Error(created.error.message);
    // 20 rows: 18 valid (one of them the contact already there), 2 rejected with reasons.
    expect(created.data.import).toMatchObject({ totalRows: 20, inserted: 17, invalid: 2 });
    expect(created.data.campaign.counts).toMatchObject({ total: 18, queued: 18 });
    const rows = await queueOf(tenant.id, created.data.campaign.id);
    // NOON is 07:00 in Chicago and 08:00 in New York on a Wednesday: each waits for its own 09:00.
    const byZone = (zone: string) =>
      new Set(rows.filter((r) => r.timezone === zone).map((r) => r.scheduledAt.toISOString()));
    expect(byZone('America/Chicago')).toEqual(new Set(['2026-06-10T14:00:00.000Z']));
    expect(byZone('America/New_York')).toEqual(new Set(['2026-06-10T13:00:00.000Z']));
    // Named contacts rank 100, the CSV's priority column adds to it.
    expect(rows.find((r) => r.contactName === 'Lead 5')?.priority).toBe(150);
    expect(rows.find((r) => r.contactName === 'Already Here')).toBeDefined();
  });
});
