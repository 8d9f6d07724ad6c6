import type { Database } from '../db/client';
import { createTenant } from '../tenants/create-tenant';
import { findTenantBySlug } from '../tenants/find-tenant';
import { addMember } from '../tenants/memberships';
import { createUser, findUserByEmail } from '../users/create-user';

export const DEMO_PASSWORD = 'switchboard-demo';

export const DEMO_TENANTS = [
  { name: 'Acme Franchising', slug: 'acme', timezone: 'America/New_York' },
  { name: 'Birch Home Services', slug: 'birch', timezone: 'America/Chicago' },
] as const;

export const DEMO_USERS = [
  {
    email: 'owner@demo.switchboard.test',
    name: 'Olivia Owner',
    memberOf: { acme: 'owner', birch: 'owner' },
  },
  { email: 'member@demo.switchboard.test', name: 'Marcus Member', memberOf: { acme: 'member' } },
  { email: 'admin@demo.switchboard.test', name: 'Ada Admin', memberOf: {}, isPlatformAdmin: true },
] as const;

/** Creates the demo workspace if missing; running it again changes nothing. */
export async function seedDemo(db: Database) {
  const tenantIds = new Map<string, string>();
  for (const t of DEMO_TENANTS) {
    const existing = await findTenantBySlug(db, t.slug);
    const tenant = existing ?? unwrap(await createTenant(db, t));
    tenantIds.set(t.slug, tenant.id);
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
