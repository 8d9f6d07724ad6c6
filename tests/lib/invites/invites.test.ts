/**
 * Invitations: created by owners/admins (outbox in the demo), single use,
 * expiring after 7 days, forged tokens rejected, and the same answer whether
 * or not the invited address already has an account.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { login } from '../../../src/lib/auth/login';
import { validateSessionToken } from '../../../src/lib/auth/sessions';
import { hashToken } from '../../../src/lib/auth/tokens';
import type { MembershipRole } from '../../../src/lib/db/schema';
import { acceptInvite, INVITE_INVALID } from '../../../src/lib/invites/accept-invite';
import { createInvite, type InviteContext } from '../../../src/lib/invites/create-invite';
import { findInvite } from '../../../src/lib/invites/find-invite';
import { INVITE_TTL_MS } from '../../../src/lib/invites/links';
import { revokeInvite } from '../../../src/lib/invites/revoke-invite';
import { teamActorOf } from '../../../src/lib/team/actor';
import { getWorkspace } from '../../../src/lib/tenants/memberships';
import { makeMember, makeSession, makeTenant, makeUser } from '../../factories';
import { useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const app = useAppRoleDatabase(t);
const MAIL = { mailFrom: 'Switchboard <no-reply@example.test>' };
const NEW_PASSWORD = 'a brand new passphrase';

async function owner() {
  const tenant = await makeTenant(t.db);
  const { user } = await makeMember(t.db, { tenant, role: 'owner' });
  const ctx = (role: MembershipRole = 'owner', who = user): InviteContext => ({
    db: app.db,
    mail: MAIL,
    baseUrl: 'https://switchboard.example',
    actor: { ...teamActorOf(who, role), name: who.name },
  });
  return { tenant, user, ctx };
}

/** The token in the newest outbox link to `email`. */
async function tokenMailedTo(email: string): Promise<string> {
  const [row] = await t.sql<{ link: string }[]>`
    select link from mail_outbox where to_address = ${email} order by id desc limit 1`;
  const token = row?.link.match(/\/invite\/([a-z2-7]{32})$/)?.[1];
  if (!token) throw new Error(`no invite link mailed to ${email}`);
  return token;
}

const email = () => `invitee-${randomBytes(4).toString('hex')}@example.test`;
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('creating an invite', () => {
  it('keeps only the hash of a 32-character token and mails the link to the outbox, audited', async () => {
    const { tenant, ctx } = await owner();
    const to = email();
    const result = await createInvite(ctx(), tenant.id, { email: to.toUpperCase(), role: 'admin' });
    expect(result.ok && result.data).toMatchObject({ email: to, role: 'admin' });
    const token = await tokenMailedTo(to);
    const [row] = await t.sql<{ token_hash: string; expires_at: Date; created_at: Date }[]>`
      select token_hash, expires_at, created_at from invites where email = ${to}`;
    expect(row?.token_hash).toBe(hashToken(token));
    expect(
      new Date(row?.expires_at ?? 0).getTime() - new Date(row?.created_at ?? 0).getTime(),
    ).toBe(INVITE_TTL_MS);
    expect(JSON.stringify(await t.sql`select * from invites where email = ${to}`)).not.toContain(
      token,
    );
    const [mail] = await t.sql<{ subject: string; body: string }[]>`
      select subject, body from mail_outbox where to_address = ${to}`;
    expect(mail?.subject).toContain(tenant.name);
    expect(mail?.body).toContain(`https://switchboard.example/invite/${token}`);
    const [audit] =
      await t.sql`select action, details from admin_audit_logs where subject_tenant_id = ${tenant.id}`;
    expect(audit).toMatchObject({
      action: 'member.invited',
      details: { email: to, role: 'admin' },
    });
  });

  it('lets only owners invite owners, refuses members, and rejects a bad address with nothing sent', async () => {
    const { tenant, user, ctx } = await owner();
    expect(
      code(await createInvite(ctx('admin'), tenant.id, { email: email(), role: 'owner' })),
    ).toBe('FORBIDDEN');
    expect(
      code(await createInvite(ctx('member'), tenant.id, { email: email(), role: 'member' })),
    ).toBe('FORBIDDEN');
    const bad = await createInvite(ctx(), tenant.id, { email: 'not an email', role: 'boss' });
    expect(bad.ok ? 'ok' : bad.error).toMatchObject({
      code: 'VALIDATION',
      fields: { email: expect.any(String), role: expect.any(String) },
    });
    expect(code(await createInvite(ctx(), tenant.id, { email: user.email, role: 'member' }))).toBe(
      'CONFLICT',
    );
    expect((await t.sql`select 1 from invites where target_tenant_id = ${tenant.id}`).length).toBe(
      0,
    );
  });

  it('replaces a pending invite to the same address: only the newest link works', async () => {
    const { tenant, ctx } = await owner();
    const to = email();
    await createInvite(ctx(), tenant.id, { email: to, role: 'member' });
    const first = await tokenMailedTo(to);
    await createInvite(ctx(), tenant.id, { email: to, role: 'admin' });
    const second = await tokenMailedTo(to);
    expect(await findInvite(t.db, first)).toBeNull();
    expect((await findInvite(t.db, second))?.role).toBe('admin');
  });
});

describe('accepting an invite', () => {
  it('creates the account, adds the membership and signs in', async () => {
    const { tenant, ctx } = await owner();
    const to = email();
    await createInvite(ctx(), tenant.id, { email: to, role: 'member' });
    const token = await tokenMailedTo(to);
    expect(await findInvite(t.db, token)).toMatchObject({
      email: to,
      role: 'member',
      tenantName: tenant.name,
    });

    const result = await acceptInvite(app.db, { token, name: 'Nia New', password: NEW_PASSWORD });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.tenantId).toBe(tenant.id);
    const session = await validateSessionToken(t.db, result.data.token);
    expect(session?.user).toMatchObject({ email: to, name: 'Nia New' });
    expect((await getWorkspace(t.db, tenant.id, session?.user.id ?? ''))?.role).toBe('member');
    expect((await login(t.db, { email: to, password: NEW_PASSWORD })).ok).toBe(true);
  });

  it('adds the membership to an existing account with the same answer, and ends its old sessions', async () => {
    const { tenant, ctx } = await owner();
    const existing = await makeUser(t.db, { name: 'Earlier Account' });
    const old = await makeSession(t.db, existing.id);
    await createInvite(ctx(), tenant.id, { email: existing.email, role: 'admin' });
    const freshTo = email();
    await createInvite(ctx(), tenant.id, { email: freshTo, role: 'admin' });

    const known = await acceptInvite(app.db, {
      token: await tokenMailedTo(existing.email),
      name: 'Ignored',
      password: NEW_PASSWORD,
    });
    const unknown = await acceptInvite(app.db, {
      token: await tokenMailedTo(freshTo),
      name: 'Fresh',
      password: NEW_PASSWORD,
    });
    // Same shape either way: nothing in the answer tells the two apart.
    const shape = (r: typeof known) => (r.ok ? Object.keys(r.data).sort() : r.error);
    expect(shape(known)).toEqual(shape(unknown));
    expect((await getWorkspace(t.db, tenant.id, existing.id))?.role).toBe('admin');
    expect(await validateSessionToken(t.db, old.token)).toBeNull();
    const [row] = await t.sql`select name from users where id = ${existing.id}`;
    expect(row?.name).toBe('Earlier Account');
    expect((await login(t.db, { email: existing.email, password: NEW_PASSWORD })).ok).toBe(true);
  });

  it('works once: a reused link is refused like a forged one', async () => {
    const { tenant, ctx } = await owner();
    const to = email();
    await createInvite(ctx(), tenant.id, { email: to, role: 'member' });
    const token = await tokenMailedTo(to);
    const input = { token, name: 'Once', password: NEW_PASSWORD };
    const [a, b] = await Promise.all([acceptInvite(app.db, input), acceptInvite(app.db, input)]);
    expect([code(a), code(b)].sort()).toEqual(['NOT_FOUND', 'ok']);
    const forged = await acceptInvite(app.db, { ...input, token: 'a'.repeat(32) });
    const reused = await acceptInvite(app.db, input);
    expect(forged).toEqual(reused);
    expect(reused.ok ? 'ok' : reused.error.message).toBe(INVITE_INVALID);
    expect(await findInvite(t.db, token)).toBeNull();
  });

  it('refuses an expired, revoked or deactivated-workspace invite', async () => {
    const { tenant, ctx } = await owner();
    const [late, revoked, gone] = [email(), email(), email()];
    await createInvite(ctx(), tenant.id, { email: late, role: 'member' });
    await createInvite(ctx(), tenant.id, { email: revoked, role: 'member' });
    const expiredAt = new Date(Date.now() + INVITE_TTL_MS + 1000);
    const input = (token: string) => ({ token, name: 'Late', password: NEW_PASSWORD });
    expect(code(await acceptInvite(app.db, input(await tokenMailedTo(late)), expiredAt))).toBe(
      'NOT_FOUND',
    );

    const [row] = await t.sql<{ id: string }[]>`select id from invites where email = ${revoked}`;
    const { user } = await makeMember(t.db, { tenant, role: 'owner' });
    expect(
      code(await revokeInvite(app.db, tenant.id, teamActorOf(user, 'owner'), row?.id ?? '')),
    ).toBe('ok');
    expect(code(await acceptInvite(app.db, input(await tokenMailedTo(revoked))))).toBe('NOT_FOUND');

    const other = await makeTenant(t.db);
    const { user: otherOwner } = await makeMember(t.db, { tenant: other, role: 'owner' });
    await createInvite(ctx('owner', otherOwner), other.id, { email: gone, role: 'member' });
    await t.sql`update tenants set deactivated_at = now() where id = ${other.id}`;
    expect(await findInvite(t.db, await tokenMailedTo(gone))).toBeNull();
    expect(code(await acceptInvite(app.db, input(await tokenMailedTo(gone))))).toBe('NOT_FOUND');
    expect(
      (await t.sql`select 1 from users where email in (${late}, ${revoked}, ${gone})`).length,
    ).toBe(0);
  });

  it('does not burn the link on bad input', async () => {
    const { tenant, ctx } = await owner();
    const to = email();
    await createInvite(ctx(), tenant.id, { email: to, role: 'member' });
    const token = await tokenMailedTo(to);
    const bad = await acceptInvite(app.db, { token, name: '', password: 'short' });
    expect(bad.ok ? 'ok' : bad.error).toMatchObject({
      code: 'VALIDATION',
      fields: { name: expect.any(String), password: expect.any(String) },
    });
    expect(await findInvite(t.db, token)).not.toBeNull();
  });

  it("won't let another tenant's admin withdraw the invite", async () => {
    const { tenant, ctx } = await owner();
    await createInvite(ctx(), tenant.id, { email: email(), role: 'member' });
    const [row] = await t.sql<
      { id: string }[]
    >`select id from invites where target_tenant_id = ${tenant.id}`;
    const other = await makeTenant(t.db);
    const { user } = await makeMember(t.db, { tenant: other, role: 'owner' });
    expect(
      code(await revokeInvite(app.db, other.id, teamActorOf(user, 'owner'), row?.id ?? '')),
    ).toBe('NOT_FOUND');
  });
});
