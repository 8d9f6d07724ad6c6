import { randomBytes } from 'node:crypto';
import { createSession } from '../../src/lib/auth/sessions';
import type { DbOrTx } from '../../src/lib/db/client';
import type { MembershipRole } from '../../src/lib/db/schema';
import { createTenant } from '../../src/lib/tenants/create-tenant';
import { addMember } from '../../src/lib/tenants/memberships';
import type { PublicTenant } from '../../src/lib/tenants/schemas';
import { createUser, type PublicUser } from '../../src/lib/users/create-user';

export const TEST_PASSWORD = 'correct horse battery staple';

const unique = () => randomBytes(4).toString('hex');

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`factory: ${result.error.message}`);
  return result.data;
}

export async function makeTenant(
  db: DbOrTx,
  overrides: Partial<{ name: string; slug: string; timezone: string }> = {},
): Promise<PublicTenant> {
  const id = unique();
  return unwrap(await createTenant(db, { name: `Tenant ${id}`, slug: `t-${id}`, ...overrides }));
}

export async function makeUser(
  db: DbOrTx,
  overrides: Partial<{
    email: string;
    name: string;
    password: string;
    isPlatformAdmin: boolean;
  }> = {},
): Promise<PublicUser & { password: string }> {
  const id = unique();
  const password = overrides.password ?? TEST_PASSWORD;
  const user = unwrap(
    await createUser(db, {
      email: `user-${id}@example.test`,
      name: `User ${id}`,
      ...overrides,
      password,
    }),
  );
  return { ...user, password };
}

/** A user who belongs to `tenant` with `role` (a new tenant when none is given). */
export async function makeMember(
  db: DbOrTx,
  options: {
    tenant?: PublicTenant;
    role?: MembershipRole;
    user?: PublicUser & { password: string };
  } = {},
) {
  const tenant = options.tenant ?? (await makeTenant(db));
  const user = options.user ?? (await makeUser(db));
  unwrap(await addMember(db, tenant.id, user.id, options.role ?? 'member'));
  return { tenant, user };
}

/** Signs a user in without the form: a session row and its cookie token. */
export async function makeSession(db: DbOrTx, userId: string, now = new Date()) {
  return createSession(db, userId, now);
}

/** A platform administrator (issue 9's /admin), not a member of any tenant. */
export function makePlatformAdmin(db: DbOrTx) {
  return makeUser(db, { isPlatformAdmin: true });
}
