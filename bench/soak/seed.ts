/**
 * The soak's workspaces: ten tenants with ClientTether credentials (the
 * simulator's web keys), five users each (the first an owner), tenant 0's
 * 50,000 contacts for the campaign (set-based, as the superuser) and call
 * limits that let the campaign spread over the run.
 */
import { sql } from 'drizzle-orm';
import { setSystemCallLimit, setUserCallLimit } from '../../src/lib/calls/concurrency';
import type { Database } from '../../src/lib/db/client';
import { createTenant } from '../../src/lib/tenants/create-tenant';
import { addMember } from '../../src/lib/tenants/memberships';
import { setClientTetherCredentials } from '../../src/lib/tenants/set-clienttether-credentials';
import { createUser } from '../../src/lib/users/create-user';
import { unwrap } from '../helpers';

export const CT_ACCESS_TOKEN = 'soak-access-token';
export const PASSWORD = 'soak-password-1';

export interface SoakUser {
  email: string;
  id: string;
  tenantIndex: number;
  owner: boolean;
}

export interface SoakTenant {
  id: string;
  webKey: string;
  users: SoakUser[];
}

export const webKeyOf = (i: number) => `CT_${'0'.repeat(24)}soak${String(i).padStart(4, '0')}`;

export async function seedSoak(
  db: Database,
  options: {
    tenants: number;
    usersPerTenant: number;
    secretsKey: string;
    campaignContacts: number;
    callSlots: number;
  },
): Promise<SoakTenant[]> {
  const tenants: SoakTenant[] = [];
  for (let t = 0; t < options.tenants; t++) {
    const tenant = unwrap(await createTenant(db, { name: `Soak ${t}`, slug: `soak-${t}` }));
    unwrap(
      await setClientTetherCredentials(db, options.secretsKey, tenant.id, {
        webKey: webKeyOf(t),
        accessToken: CT_ACCESS_TOKEN,
      }),
    );
    const users: SoakUser[] = [];
    for (let u = 0; u < options.usersPerTenant; u++) {
      const email = `user${u}@soak-${t}.test`;
      const user = unwrap(
        await createUser(db, { email, name: `Soak user ${t}.${u}`, password: PASSWORD }),
      );
      unwrap(await addMember(db, tenant.id, user.id, u === 0 ? 'owner' : 'member'));
      users.push({ email, id: user.id, tenantIndex: t, owner: u === 0 });
    }
    tenants.push({ id: tenant.id, webKey: webKeyOf(t), users });
  }
  const campaignTenant = tenants[0];
  const caller = campaignTenant?.users[0];
  if (!campaignTenant || !caller) throw new Error('soak: no tenant to run the campaign');
  await db.execute(sql`
    insert into contacts (tenant_id, name, phone_e164, phone_raw, timezone, source)
    select ${campaignTenant.id}, 'Soak contact ' || g, '+1' || (2000000000 + g)::text,
           (2000000000 + g)::text, 'UTC', 'manual'
    from generate_series(1, ${options.campaignContacts}) g`);
  unwrap(await setUserCallLimit(db, caller.id, { limit: options.callSlots }));
  unwrap(await setSystemCallLimit(db, { limit: options.callSlots }));
  await db.execute(sql`analyze`);
  return tenants;
}
