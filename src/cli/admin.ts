/**
 * `npm run admin -- <command> [options]`: set up a real deployment without the demo seed.
 *
 *   create-tenant --name "Acme" --slug acme [--timezone America/New_York] [--region US]
 *   create-user   --email a@b.com --name "Ann" [--password …] [--platform-admin]
 *   add-member    --email a@b.com --tenant acme --role owner|admin|member
 *   set-password  --email a@b.com [--password …]
 *   set-clienttether --tenant acme --web-key … --access-token …
 *   deactivate-tenant --tenant acme   (members lose access, running campaigns pause; audited)
 *   reactivate-tenant --tenant acme
 *
 * Without --password the password is read from the ADMIN_PASSWORD variable or
 * standard input, so it need not sit in shell history.
 */
import { parseArgs } from 'node:util';
import { setTenantActive } from '../lib/admin/set-tenant-active';
import { setPassword } from '../lib/auth/change-password';
import { loadConfig } from '../lib/config';
import { connectDatabase } from '../lib/db/client';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../lib/db/schema';
import {
  addMember,
  createTenant,
  findTenantBySlug,
  setClientTetherCredentials,
} from '../lib/tenants';
import { createUser, findUserByEmail } from '../lib/users/create-user';
import { readPassword } from './read-password';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    slug: { type: 'string' },
    timezone: { type: 'string' },
    region: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    'platform-admin': { type: 'boolean', default: false },
    tenant: { type: 'string' },
    role: { type: 'string' },
    'web-key': { type: 'string' },
    'access-token': { type: 'string' },
  },
});

const config = loadConfig(process.env);
const { db, close } = connectDatabase(config.databaseUrl, { max: 2 });

function required(name: keyof typeof values): string {
  const value = values[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`);
  return value;
}
class UsageError extends Error {}

async function userByEmail() {
  const user = await findUserByEmail(db, required('email'));
  if (!user) throw new UsageError(`no user with email ${values.email}`);
  return user;
}
async function tenantBySlug() {
  const tenant = await findTenantBySlug(db, required('tenant'));
  if (!tenant) throw new UsageError(`no tenant with slug ${values.tenant}`);
  return tenant;
}

const commands: Record<
  string,
  () => Promise<{ ok: boolean; error?: { message: string }; data?: unknown }>
> = {
  'create-tenant': () =>
    createTenant(db, {
      name: required('name'),
      slug: required('slug'),
      ...(values.timezone ? { timezone: values.timezone } : {}),
      ...(values.region ? { defaultPhoneRegion: values.region } : {}),
    }),
  'create-user': async () =>
    createUser(db, {
      email: required('email'),
      name: required('name'),
      password: values.password ?? (await readPassword()),
      isPlatformAdmin: values['platform-admin'],
    }),
  'add-member': async () => {
    const role = required('role');
    if (!MEMBERSHIP_ROLES.includes(role as MembershipRole))
      throw new UsageError('--role must be owner, admin or member');
    return addMember(
      db,
      (await tenantBySlug()).id,
      (await userByEmail()).id,
      role as MembershipRole,
    );
  },
  'set-password': async () => {
    const user = await userByEmail();
    return setPassword(db, user.id, values.password ?? (await readPassword()));
  },
  'set-clienttether': async () =>
    setClientTetherCredentials(db, config.secretsKey, (await tenantBySlug()).id, {
      webKey: required('web-key'),
      accessToken: required('access-token'),
    }),
  'deactivate-tenant': async () =>
    setTenantActive(db, { type: 'cli' }, (await tenantBySlug()).id, false),
  'reactivate-tenant': async () =>
    setTenantActive(db, { type: 'cli' }, (await tenantBySlug()).id, true),
};

const [command] = positionals;
try {
  const run = command ? commands[command] : undefined;
  if (!run)
    throw new UsageError(`usage: npm run admin -- <${Object.keys(commands).join('|')}> [options]`);
  const result = await run();
  if (!result.ok) throw new UsageError(result.error?.message ?? 'failed');
  console.log(`${command}: done${result.data ? ` ${JSON.stringify(result.data)}` : ''}`);
} catch (error) {
  console.error(error instanceof UsageError ? error.message : error);
  process.exitCode = 1;
} finally {
  await close();
}
