/**
 * Setting up a workspace from the browser, end to end, with no mail server:
 * a platform admin creates a tenant and invites its owner; the owner accepts
 * through the link copied from /admin/outbox, sets a password and invites a
 * member; the member accepts, signs in through the form and sees only that
 * workspace. Screenshots land in tests/e2e/artifacts/.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { generateSecretsKey } from '../../src/lib/secrets/seal';
import { makeMember, makePlatformAdmin, makeSession, makeTenant } from '../factories';
import { describeBrowser, saveScreenshot, useBrowser } from '../helpers/browser';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';

const suffix = randomBytes(3).toString('hex');

describeBrowser('workspace administration in a browser', () => {
  const chromium = useBrowser();
  const t = useTestDatabase();
  const server = useWebServer(() => t.url, { SECRETS_KEY: generateSecretsKey() });

  async function outboxLinkFor(admin: Page, email: string): Promise<string> {
    await admin.goto(`${server.url}/admin/outbox`);
    const field = admin.getByLabel(`Link in the message to ${email}`).first();
    const link = await field.inputValue();
    expect(link).toMatch(/\/invite\/[a-z2-7]{32}$/);
    return link;
  }

  async function acceptInvite(page: Page, link: string, name: string, password: string) {
    await page.goto(link);
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');
  }

  it('admin creates a tenant and invites an owner; the owner invites a member, who sees only that tenant', async () => {
    const admin = await makePlatformAdmin(t.db);
    // A workspace the newcomers must never see.
    const other = await makeTenant(t.db, { name: `Elsewhere Realty ${suffix}` });
    await makeMember(t.db, { tenant: other, role: 'owner' });
    const { token } = await makeSession(t.db, admin.id);
    const tenantName = `Harbor Homes ${suffix}`;
    const ownerEmail = `owner-${suffix}@harbor.example`;
    const memberEmail = `member-${suffix}@harbor.example`;

    // 1. The platform admin creates the tenant.
    const { page: adminPage, problems: adminProblems } = await chromium.newPage({
      viewport: { width: 1280, height: 900 },
    });
    const { hostname } = new URL(server.url);
    await adminPage
      .context()
      .addCookies([{ name: 'sb_session', value: token, domain: hostname, path: '/' }]);
    await adminPage.goto(`${server.url}/admin/tenants/new`);
    await adminPage.getByLabel('Name', { exact: true }).fill(tenantName);
    await adminPage.getByLabel('Slug').fill(`harbor-${suffix}`);
    await adminPage.getByLabel('Time zone').selectOption('America/Chicago');
    await adminPage.getByLabel('ClientTether web key').fill(`web-key-${suffix}`);
    await saveScreenshot(adminPage, 'admin-tenant-new');
    await adminPage.getByRole('button', { name: 'Create tenant' }).click();
    await adminPage.waitForURL((url) => /^\/admin\/tenants\/[0-9a-f-]{36}$/.test(url.pathname));
    await expect
      .poll(() => adminPage.getByRole('heading', { level: 1 }).textContent())
      .toBe(tenantName);
    expect(await adminPage.getByRole('status').textContent()).toContain('Tenant created');
    // The key is write-only: the page says it is set, never what it is.
    expect(await adminPage.content()).not.toContain(`web-key-${suffix}`);
    expect(await adminPage.locator('#f-clienttetherWebKey-hint').textContent()).toContain('Set');

    // 2. …and invites its owner.
    await adminPage.getByLabel('Email').fill(ownerEmail);
    await adminPage.getByLabel('Role').selectOption('owner');
    await adminPage.getByRole('button', { name: 'Send invitation' }).click();
    await adminPage.waitForURL((url) => url.searchParams.get('saved') === 'invited');
    expect(await adminPage.locator('main').textContent()).toContain(ownerEmail);
    await saveScreenshot(adminPage, 'admin-tenant-detail');

    // 3. No mail server: the link is in the outbox.
    const ownerLink = await outboxLinkFor(adminPage, ownerEmail);
    await saveScreenshot(adminPage, 'admin-outbox');

    // 4. The owner accepts, choosing a password, and lands in the workspace.
    const { page: ownerPage, problems: ownerProblems } = await chromium.newPage({
      viewport: { width: 1280, height: 900 },
    });
    await ownerPage.goto(ownerLink);
    expect(await ownerPage.getByRole('heading', { level: 1 }).textContent()).toBe(
      `Join ${tenantName}`,
    );
    await saveScreenshot(ownerPage, 'invite-accept');
    await acceptInvite(ownerPage, ownerLink, 'Olivia Owner', 'owner password 123');
    expect(await ownerPage.title()).toContain(tenantName);

    // 5. The owner invites a member from the team page.
    await ownerPage.getByRole('link', { name: 'Team' }).first().click();
    await ownerPage.waitForURL((url) => url.pathname === '/settings/team');
    await ownerPage.getByLabel('Email').fill(memberEmail);
    await ownerPage.getByLabel('Role', { exact: true }).selectOption('member');
    await ownerPage.getByRole('button', { name: 'Send invitation' }).click();
    await ownerPage.waitForURL((url) => url.searchParams.get('saved') === 'invited');
    expect(await ownerPage.locator('main').textContent()).toContain(memberEmail);
    await saveScreenshot(ownerPage, 'team-settings');

    // 6. The member accepts, then signs in through the form and sees only this workspace.
    const memberLink = await outboxLinkFor(adminPage, memberEmail);
    const { page: memberPage, problems: memberProblems } = await chromium.newPage({
      viewport: { width: 1280, height: 900 },
    });
    await acceptInvite(memberPage, memberLink, 'Max Member', 'member password 123');
    await memberPage.goto(`${server.url}/profile`);
    await memberPage.getByRole('button', { name: 'Sign out everywhere' }).click();
    await memberPage.waitForURL((url) => url.pathname === '/login');
    await memberPage.getByLabel('Email').fill(memberEmail);
    await memberPage.getByLabel('Password').fill('member password 123');
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    await memberPage.waitForURL((url) => url.pathname === '/dashboard');
    expect(await memberPage.title()).toContain(tenantName);
    await saveScreenshot(memberPage, 'member-dashboard');
    await memberPage.goto(`${server.url}/workspaces`);
    const list = await memberPage.locator('.workspace-list').textContent();
    expect(list).toContain(tenantName);
    expect(list).not.toContain(other.name);
    expect(await memberPage.locator('.workspace-list li').count()).toBe(1);
    // A member has no team page and no platform admin.
    const refused = async (path: string) =>
      (await memberPage.request.get(`${server.url}${path}`, { maxRedirects: 0 })).status();
    expect(await refused('/settings/team')).toBe(403);
    expect(await refused('/admin')).toBe(403);

    // The audit log tells the story.
    await adminPage.goto(`${server.url}/admin/audit`);
    const audit = await adminPage.locator('main').textContent();
    for (const action of ['tenant.created', 'member.invited', 'invite.accepted'])
      expect(audit).toContain(action);
    await saveScreenshot(adminPage, 'admin-audit');

    expect({
      admin: adminProblems,
      owner: ownerProblems,
      member: memberProblems,
    }).toEqual({ admin: [], owner: [], member: [] });
  }, 90_000);
});
