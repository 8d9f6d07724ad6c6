import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { login } from '../../src/lib/auth/login';
import { validateSessionToken } from '../../src/lib/auth/sessions';
import { memberships, tenants, users } from '../../src/lib/db/schema';
import { openSecret } from '../../src/lib/secrets/seal';
import { makeSession, makeUser } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { runScript } from '../helpers/run-script';

const t = useTestDatabase();
const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');
const admin = (args: string[], extra: Record<string, string> = {}, input?: string) =>
  runScript('src/cli/admin.ts', args, { DATABASE_URL: t.url, SECRETS_KEY, ...extra }, input);

describe('admin CLI', () => {
  it('sets up a tenant with an owner from nothing', async () => {
    const tenant = await admin([
      'create-tenant',
      '--name',
      'Cedar Co',
      '--slug',
      'cedar',
      '--timezone',
      'Europe/London',
    ]);
    expect(tenant.stderr).toBe('');
    expect(tenant.code).toBe(0);
    const user = await admin(['create-user', '--email', 'Cara@Cedar.test', '--name', 'Cara'], {
      ADMIN_PASSWORD: 'a long enough password',
    });
    expect(user.code).toBe(0);
    expect(
      (
        await admin([
          'add-member',
          '--email',
          'cara@cedar.test',
          '--tenant',
          'cedar',
          '--role',
          'owner',
        ])
      ).code,
    ).toBe(0);

    const [row] = await t.db
      .select({ role: memberships.role, timezone: tenants.timezone })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(users.email, 'cara@cedar.test'));
    expect(row).toEqual({ role: 'owner', timezone: 'Europe/London' });
    expect(
      (await login(t.db, { email: 'cara@cedar.test', password: 'a long enough password' })).ok,
    ).toBe(true);
  });

  it('reads the password from standard input when no flag or variable gives it', async () => {
    const result = await admin(
      ['create-user', '--email', 'stdin@example.test', '--name', 'In'],
      {},
      'from stdin 123\n',
    );
    expect(result.code).toBe(0);
    expect(
      (await login(t.db, { email: 'stdin@example.test', password: 'from stdin 123' })).ok,
    ).toBe(true);
  });

  it('set-password ends every session of the user', async () => {
    const user = await makeUser(t.db);
    const { token } = await makeSession(t.db, user.id);
    const result = await admin([
      'set-password',
      '--email',
      user.email,
      '--password',
      'brand new password',
    ]);
    expect(result.code).toBe(0);
    expect(await validateSessionToken(t.db, token)).toBeNull();
    expect((await login(t.db, { email: user.email, password: 'brand new password' })).ok).toBe(
      true,
    );
  });

  it('stores ClientTether credentials sealed, never in plain text', async () => {
    await admin(['create-tenant', '--name', 'Sealed', '--slug', 'sealed']);
    const result = await admin([
      'set-clienttether',
      '--tenant',
      'sealed',
      '--web-key',
      'wk-canary-1',
      '--access-token',
      'at-canary-2',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/canary/);
    const [row] = await t.db.select().from(tenants).where(eq(tenants.slug, 'sealed'));
    expect(JSON.stringify(row)).not.toMatch(/canary/);
    expect(openSecret(SECRETS_KEY, row?.clienttetherWebKeySealed ?? '')).toBe('wk-canary-1');
  });

  it('refuses bad input with a clear message and a failing exit code', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /usage: npm run admin/],
      [['create-tenant', '--name', 'No slug'], /--slug is required/],
      [['create-tenant', '--name', 'Bad', '--slug', 'Not A Slug!'], /Slug/],
      [
        ['create-tenant', '--name', 'Bad tz', '--slug', 'badtz', '--timezone', 'Mars/Olympus'],
        /time zone/,
      ],
      [
        ['add-member', '--email', 'nobody@example.test', '--tenant', 'cedar', '--role', 'owner'],
        /no user/,
      ],
      [
        ['add-member', '--email', 'x@example.test', '--tenant', 'x', '--role', 'king'],
        /--role must be/,
      ],
      [
        ['create-user', '--email', 'short@example.test', '--name', 'S', '--password', 'short'],
        /at least 8/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await admin(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('refuses a duplicate slug and leaves the first tenant alone', async () => {
    await admin(['create-tenant', '--name', 'First', '--slug', 'dupe']);
    const second = await admin(['create-tenant', '--name', 'Second', '--slug', 'dupe']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already exists/);
    const rows = await t.db
      .select({ name: tenants.name })
      .from(tenants)
      .where(eq(tenants.slug, 'dupe'));
    expect(rows).toEqual([{ name: 'First' }]);
  });
});
