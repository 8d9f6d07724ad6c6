/**
 * Platform-admin verbs on users and limits, and the audit log's filters and
 * pages. Run as the production app role.
 */
import { describe, expect, it } from 'vitest';
import { actorOf } from '../../../src/lib/admin/actor';
import {
  setSystemCallLimitAudited,
  setUserCallLimitAudited,
} from '../../../src/lib/admin/call-limits';
import { AUDIT_PAGE_SIZE, AuditFilters, listAdminAudit } from '../../../src/lib/admin/list-audit';
import { listUsers } from '../../../src/lib/admin/list-users';
import { setTenantActive } from '../../../src/lib/admin/set-tenant-active';
import { setUserActive } from '../../../src/lib/admin/set-user-active';
import { login } from '../../../src/lib/auth/login';
import { validateSessionToken } from '../../../src/lib/auth/sessions';
import { makeMember, makePlatformAdmin, makeSession, makeTenant, makeUser } from '../../factories';
import { useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const app = useAppRoleDatabase(t);

describe('deactivating a user', () => {
  it('kills every session at once, refuses sign-in, and reactivation restores it', async () => {
    const admin = await makePlatformAdmin(t.db);
    const user = await makeUser(t.db);
    const one = await makeSession(t.db, user.id);
    const two = await makeSession(t.db, user.id);

    expect(await setUserActive(app.db, actorOf(admin), user.id, false)).toEqual({
      ok: true,
      data: { active: false },
    });
    expect(await validateSessionToken(t.db, one.token)).toBeNull();
    expect(await validateSessionToken(t.db, two.token)).toBeNull();
    expect((await t.sql`select 1 from sessions where user_id = ${user.id}`).length).toBe(0);
    const refused = await login(t.db, { email: user.email, password: user.password });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('UNAUTHENTICATED');

    await setUserActive(app.db, actorOf(admin), user.id, true);
    const again = await login(t.db, { email: user.email, password: user.password });
    expect(again.ok).toBe(true);
    const actions = await t.sql<{ action: string }[]>`
      select action from admin_audit_logs where target_id = ${user.id} order by id`;
    expect(actions.map((a) => a.action)).toEqual(['user.deactivated', 'user.reactivated']);
  });

  it("refuses an admin's own account and answers NOT_FOUND for an unknown one", async () => {
    const admin = await makePlatformAdmin(t.db);
    const self = await setUserActive(app.db, actorOf(admin), admin.id, false);
    expect(self.ok ? 'ok' : self.error.code).toBe('FORBIDDEN');
    const missing = await setUserActive(app.db, actorOf(admin), 'not-a-uuid', false);
    expect(missing.ok ? 'ok' : missing.error.code).toBe('NOT_FOUND');
  });
});

describe('call limits', () => {
  it('audits a user limit change with from and to, and changes nothing on bad input', async () => {
    const admin = await makePlatformAdmin(t.db);
    const user = await makeUser(t.db);
    expect(await setUserCallLimitAudited(app.db, actorOf(admin), user.id, { limit: 5 })).toEqual({
      ok: true,
      data: { limit: 5 },
    });
    const bad = await setUserCallLimitAudited(app.db, actorOf(admin), user.id, { limit: -1 });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION');
    const rows = await t.sql<{ details: unknown }[]>`
      select details from admin_audit_logs
      where action = 'user.call_limit_changed' and target_id = ${user.id}`;
    expect(rows.map((r) => r.details)).toEqual([{ from: 2, to: 5 }]);
    const [limit] =
      await t.sql`select concurrent_calls_limit as n from users where id = ${user.id}`;
    expect(limit?.n).toBe(5);
  });

  it('audits the system limit', async () => {
    const admin = await makePlatformAdmin(t.db);
    await setSystemCallLimitAudited(app.db, actorOf(admin), { limit: 40 });
    await setSystemCallLimitAudited(app.db, actorOf(admin), { limit: 41 });
    const [last] = await t.sql<{ details: unknown }[]>`
      select details from admin_audit_logs
      where action = 'system.call_limit_changed' order by id desc limit 1`;
    expect(last?.details).toEqual({ from: 40, to: 41 });
  });
});

describe('listing users', () => {
  it('shows memberships across tenants (read as each user under RLS) and searches by email', async () => {
    const a = await makeTenant(t.db, { name: 'Aardvark Homes' });
    const b = await makeTenant(t.db, { name: 'Zebra Realty' });
    const user = await makeUser(t.db, { name: 'Searchable Person' });
    await makeMember(t.db, { tenant: a, user, role: 'owner' });
    await makeMember(t.db, { tenant: b, user, role: 'member' });
    const list = await listUsers(app.db, { q: user.email.toUpperCase(), page: 1 });
    expect(list.total).toBe(1);
    expect(list.rows[0]?.memberships).toEqual([
      { tenantId: a.id, tenantName: 'Aardvark Homes', role: 'owner', tenantActive: true },
      { tenantId: b.id, tenantName: 'Zebra Realty', role: 'member', tenantActive: true },
    ]);
    // LIKE wildcards are literal.
    expect((await listUsers(app.db, { q: '%', page: 1 })).total).toBe(0);
  });
});

describe('the audit log', () => {
  it('filters by action, actor, tenant and day, and pages newest first', async () => {
    const admin = await makePlatformAdmin(t.db);
    const other = await makePlatformAdmin(t.db);
    const tenant = await makeTenant(t.db);
    await setTenantActive(app.db, actorOf(admin), tenant.id, false);
    await setTenantActive(app.db, actorOf(other), tenant.id, true);
    for (let i = 0; i < AUDIT_PAGE_SIZE + 3; i++) {
      await setUserCallLimitAudited(app.db, actorOf(other), other.id, { limit: i });
    }

    const byTenant = await listAdminAudit(app.db, AuditFilters.parse({ tenant: tenant.id }));
    expect(byTenant.rows.map((r) => r.action)).toEqual([
      'tenant.reactivated',
      'tenant.deactivated',
    ]);
    expect(byTenant.rows[0]?.tenantName).toBe(tenant.name);

    const byActor = await listAdminAudit(
      app.db,
      AuditFilters.parse({ actor: admin.email.slice(0, 12).toUpperCase(), tenant: tenant.id }),
    );
    expect(byActor.rows.map((r) => r.actor)).toEqual([admin.email]);

    const limits = AuditFilters.parse({ action: 'user.call_limit_changed', actor: other.email });
    const first = await listAdminAudit(app.db, limits);
    expect(first.total).toBe(AUDIT_PAGE_SIZE + 3);
    expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.rows[0]?.details).toEqual({ from: AUDIT_PAGE_SIZE + 1, to: AUDIT_PAGE_SIZE + 2 });
    const second = await listAdminAudit(app.db, { ...limits, page: 2 });
    expect(second.rows).toHaveLength(3);

    const today = new Date().toISOString().slice(0, 10);
    const dated = await listAdminAudit(
      app.db,
      AuditFilters.parse({ tenant: tenant.id, from: today, to: today }),
    );
    expect(dated.total).toBe(2);
    const past = await listAdminAudit(
      app.db,
      AuditFilters.parse({ tenant: tenant.id, from: '2001-01-01', to: '2001-01-02' }),
    );
    expect(past.total).toBe(0);
    // Malformed filters are ignored rather than failing the page.
    expect(AuditFilters.parse({ action: 'drop table', tenant: 'x', page: '-3' })).toEqual({
      page: 1,
    });
  });
});
