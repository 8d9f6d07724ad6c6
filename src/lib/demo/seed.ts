import type { Database } from '../db/client';
import { createTenant } from '../tenants/create-tenant';
import { findTenantBySlug } from '../tenants/find-tenant';
import { addMember } from '../tenants/memberships';
import {
  getClientTetherCredentialStatus,
  setClientTetherCredentials,
} from '../tenants/set-clienttether-credentials';
import { createUser, findUserByEmail } from '../users/create-user';
import { seedDemoContacts } from './contacts';

export const DEMO_PASSWORD = 'switchboard-demo';

/** Demo tenants, each with the ClientTether web key (and data seed) the simulator serves it under. */
export const DEMO_TENANTS = [
  {
    name: 'Acme Franchising',
    slug: 'acme',
    timezone: 'America/New_York',
    webKey: 'CT_a1c3e5f7a9b1c3d5e7f9a1b3c5d7e9f1',
    dataSeed: 1101,
  },
  {
    name: 'Birch Home Services',
    slug: 'birch',
    timezone: 'America/Chicago',
    webKey: 'CT_b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2',
    dataSeed: 2202,
  },
] as const;

/** The demo's enterprise access token, understood only by the local simulator. */
export const DEMO_CLIENTTETHER_ACCESS_TOKEN = 'demo-enterprise-token-for-the-local-simulator';

export const DEMO_USERS = [
  {
    email: 'owner@demo.switchboard.test',
    name: 'Olivia Owner',
    memberOf: { acme: 'owner', birch: 'owner' },
  },
  { email: 'member@demo.switchboard.test', name: 'Marcus Member', memberOf: { acme: 'member' } },
  { email: 'admin@demo.switchboard.test', name: 'Ada Admin', memberOf: {}, isPlatformAdmin: true },
] as const;

/**
 * Creates the demo workspace if missing; running it again changes nothing.
 * With a secrets key, the demo tenants get ClientTether credentials for the simulator.
 */
export async function seedDemo(db: Database, options: { secretsKey?: string } = {}) {
  const tenantIds = new Map<string, string>();
  for (const { webKey, dataSeed, ...t } of DEMO_TENANTS) {
    const existing = await findTenantBySlug(db, t.slug);
    const tenant = existing ?? unwrap(await createTenant(db, t));
    tenantIds.set(t.slug, tenant.id);
    await seedDemoContacts(db, tenant.id, dataSeed);
    if (options.secretsKey && !(await getClientTetherCredentialStatus(db, tenant.id)).webKeySet) {
      const credentials = { webKey, accessToken: DEMO_CLIENTTETHER_ACCESS_TOKEN };
      unwrap(await setClientTetherCredentials(db, options.secretsKey, tenant.id, credentials));
    }
  }
  for (const u of DEMO_USERS) {
    const existing = await findUserByEmail(db, u.email);
    const user =
      existing ??
      unwrap(
        await createUser(db, {
          email: u.email,
          name: u.name,
          password: DEMO_PASSWORD,
          isPlatformAdmin: 'isPlatformAdmin' in u ? u.isPlatformAdmin : false,
        }),
      );
    for (const [slug, role] of Object.entries(u.memberOf)) {
      const tenantId = tenantIds.get(slug);
      if (tenantId) unwrap(await addMember(db, tenantId, user.id, role));
    }
  }
  return { tenants: DEMO_TENANTS.length, users: DEMO_USERS.length };
}

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`demo seed: ${result.error.message}`);
  return result.data;
}

/** The demo seed only ever runs against a database on this machine. */
export function isLocalDatabase(url: string): boolean {
  const host = new URL(url).hostname;
  return ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host);
}
