/**
 * The sign-in flow in a real browser (headless Chromium through playwright-core)
 * against the built server. Screenshots land in tests/e2e/artifacts/ (git-ignored)
 * for a human to look at.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { makeMember, makeTenant, makeUser } from '../factories';
import { describeBrowser, saveScreenshot, useBrowser } from '../helpers/browser';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';

const suffix = () => randomBytes(3).toString('hex');

describeBrowser('signing in with a browser', () => {
  const chromium = useBrowser();
  const t = useTestDatabase();
  const server = useWebServer(() => t.url);

  /** A user in two workspaces: owner of one, member of the other. */
  async function twoWorkspaceUser() {
    const first = await makeTenant(t.db, { name: `Northwind Realty ${suffix()}` });
    const second = await makeTenant(t.db, { name: `Summit Homes ${suffix()}` });
    const user = await makeUser(t.db, { name: 'Dana Whitfield' });
    await makeMember(t.db, { tenant: first, user, role: 'owner' });
    await makeMember(t.db, { tenant: second, user, role: 'member' });
    return { user, first, second };
  }

  async function signInThroughForm(page: Page, email: string, password: string) {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const activeElement = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { id: el?.id ?? '', tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '' };
    });

  it('a user with two workspaces signs in through the form, picks one and sees its dashboard', async () => {
    const { user, second } = await twoWorkspaceUser();
    const { page, problems } = await chromium.newPage({ viewport: { width: 1280, height: 800 } });

    await page.goto(`${server.url}/login`);
    await expect.poll(() => page.title()).toBe('Sign in · Switchboard');
    await saveScreenshot(page, 'login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL((url) => url.pathname === '/workspaces');
    await expect
      .poll(() => page.getByRole('heading', { name: 'Choose a workspace' }).isVisible())
      .toBe(true);
    await saveScreenshot(page, 'workspaces');
    await page.getByRole('button', { name: second.name }).click();

    await page.waitForURL((url) => url.pathname === '/dashboard');
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.textContent()).toBe(second.name);
    const main = page.locator('main#main');
    expect(await main.textContent()).toMatch(/signed in as\s*member\s*of this workspace/i);
    expect(await page.title()).toContain(second.name);
    const path = await saveScreenshot(page, 'dashboard');
    expect(statSync(path).size).toBeGreaterThan(5_000);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'sb_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    expect(cookies.find((c) => c.name === 'sb_tenant')?.value).toBe(second.id);
    // JavaScript on the page can't read the session cookie.
    expect(await page.evaluate(() => document.cookie)).not.toContain('sb_session');
    expect(problems).toEqual([]);
  });

  it('the dashboard fits a 390 px wide phone screen without sideways scrolling', async () => {
    const { user, first } = await twoWorkspaceUser();
    const { page, problems } = await chromium.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });

    await signInThroughForm(page, user.email, user.password);
    await page.waitForURL((url) => url.pathname === '/workspaces');
    await page.getByRole('button', { name: first.name }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(first.name);
    await saveScreenshot(page, 'dashboard-mobile');
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.client).toBe(390);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(problems).toEqual([]);
  });

  it('the login form can be filled and submitted with the keyboard alone', async () => {
    const tenant = await makeTenant(t.db, { name: `Keyboard Co ${suffix()}` });
    const { user } = await makeMember(t.db, { tenant, role: 'admin' });
    const { page, problems } = await chromium.newPage();

    await page.goto(`${server.url}/login`);
    // The email field has focus on arrival (autofocus); Tab walks email → password → button.
    await expect.poll(async () => (await activeElement(page)).id).toBe('email');
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    expect((await activeElement(page)).id).toBe('password');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Tab');
    expect(await activeElement(page)).toMatchObject({ tag: 'BUTTON', text: 'Sign in' });
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none'); // a visible focus ring
    await page.keyboard.press('Shift+Tab');
    expect((await activeElement(page)).id).toBe('password');
    await page.keyboard.press('Enter');

    // One workspace: straight to its dashboard.
    await page.waitForURL((url) => url.pathname === '/dashboard');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(tenant.name);
    expect(problems).toEqual([]);
  });

  it('a wrong password shows the error on the login page and keeps the user there', async () => {
    const user = await makeUser(t.db);
    const { page } = await chromium.newPage();

    await signInThroughForm(page, user.email, 'not the right password');

    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.has('error'));
    expect(await page.getByRole('alert').textContent()).toBe('Invalid email or password.');
    expect(await page.context().cookies()).not.toContainEqual(
      expect.objectContaining({ name: 'sb_session' }),
    );
  });
});
