import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../../src/lib/db/client';
import type { LiveEvent, Subscription } from '../../../src/lib/events/hub';
import type { PublicTenant } from '../../../src/lib/tenants/schemas';
import { makeTenant } from '../../factories';
import { makeCaller, makeCampaign } from '../../factories/campaigns';
import { makeContacts } from '../../factories/contacts';

/** A subscriber that keeps what it is sent. */
export function collector(tenantId: string, campaignId: string | null = null) {
  const events: LiveEvent[] = [];
  const failures: unknown[] = [];
  const subscription: Subscription = {
    tenantId,
    campaignId,
    send: (event) => events.push(event),
    fail: (error) => failures.push(error),
  };
  return { subscription, events, failures };
}

/** Polls `check` until it holds (or throws after `ms`). */
export async function eventually(check: () => boolean, ms = 5000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A workspace with a running campaign of `contacts` calls. */
export async function runningCampaign(
  db: Database,
  sql: import('postgres').Sql,
  tenant?: PublicTenant,
  contacts = 3,
) {
  const owner = tenant ?? (await makeTenant(db));
  const user = await makeCaller(db, owner, 5);
  const made = await makeContacts(
    db,
    owner.id,
    Array.from({ length: contacts }, (_, i) => ({ name: `Person ${i}` })),
  );
  const campaign = await makeCampaign(db, owner.id, user.id, {
    contacts: { ids: made.map((c) => c.id) },
  });
  await sql`update call_campaigns set status = 'running', started_at = now() where id = ${campaign.id}`;
  return { tenant: owner, campaign };
}
