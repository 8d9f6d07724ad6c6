/**
 * A whole campaign from the browser, against the built server, a real
 * database and the worker's dispatcher with the simulated provider: a member
 * picks demo contacts in the wizard, starts the campaign, watches the
 * progress bar move without reloading, pauses (it stops), resumes, sees it
 * finish and exports the results. Screenshots of the list, the wizard and the
 * detail page at desktop width and at 375 px.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { rollupDueCampaigns } from '../../src/lib/campaigns/campaign-stats-rollup';
import { seedDemoContacts } from '../../src/lib/demo/contacts';
import { makeSession, makeTenant } from '../factories';
import { makeCaller } from '../factories/campaigns';
import { describeBrowser, saveScreenshot, useBrowser } from '../helpers/browser';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';
import { useTestWorker } from '../helpers/worker';

const PICKED = 20;
const NAME = 'Browser spring outreach';

describeBrowser('a campaign run from the browser', () => {
  const chromium = useBrowser();
  const t = useTestDatabase({ max: 6 });
  const server = useWebServer(() => t.url);
  // Calls of 3–6 s on two slots: about half a minute for the campaign, long enough to watch.
  useTestWorker(() => t.url, { talkMs: [3_000, 6_000] });
  const who = {} as { tenantId: string; token: string };

  beforeAll(async () => {
    const tenant = await makeTenant(t.db, { name: 'Demo Realty', timezone: 'America/Chicago' });
    // Two calls at once: slow enough to watch, fast enough to finish within the test.
    const user = await makeCaller(t.db, tenant, 2);
    await seedDemoContacts(t.db, tenant.id, 1);
    const { token } = await makeSession(t.db, user.id);
    Object.assign(who, { tenantId: tenant.id, token });
  });

  async function open(path: string, width = 1280) {
    const { page, problems } = await chromium.newPage({
      viewport: { width, height: 900 },
      acceptDownloads: true,
    });
    const { hostname } = new URL(server.url);
    await page.context().addCookies([
      { name: 'sb_session', value: who.token, domain: hostname, path: '/' },
      { name: 'sb_tenant', value: who.tenantId, domain: hostname, path: '/' },
    ]);
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('domcontentloaded');
    return { page, problems: { unexpected: () => problems } };
  }

  const percent = async (page: Page) =>
    Number(
      await page.getByRole('progressbar', { name: 'Calls done' }).getAttribute('aria-valuenow'),
    );

  const counts = async (campaignId: string) => {
    const [row] = await t.db.execute<{ done: number; open: number; flying: number }>(sql`
      select count(*) filter (where status in ('completed', 'failed', 'cancelled', 'skipped'))::int as done,
             count(*) filter (where status in ('queued', 'dispatching', 'in_progress'))::int as open,
             count(*) filter (where status in ('dispatching', 'in_progress'))::int as flying
      from call_queue where tenant_id = ${who.tenantId} and campaign_id = ${campaignId}`);
    return row as { done: number; open: number; flying: number };
  };

  const fits = async (page: Page, width: number) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      width,
    );

  it('creates, starts, watches, pauses, resumes, finishes and exports a campaign', async () => {
    // The wizard: step 1, twenty demo contacts from the picker.
    const { page, problems } = await open('/campaigns/new');
    const boxes = page.locator('.picker-list input[type="checkbox"]');
    await expect.poll(() => boxes.count()).toBeGreaterThanOrEqual(PICKED);
    for (let i = 0; i < PICKED; i++) await boxes.nth(i).check();
    expect(await page.locator('.picker-count').textContent()).toBe(`${PICKED} selected`);
    await saveScreenshot(page, 'campaigns-wizard-contacts');
    await page.getByRole('button', { name: 'Next: settings' }).click();

    // Step 2: a server-side check we can't make client-side is not needed here; the form checks first.
    await page.getByRole('button', { name: 'Next: review' }).click();
    await expect
      .poll(() => page.getByLabel('Campaign name').getAttribute('aria-invalid'))
      .toBe('true');
    await page.getByLabel('Campaign name').fill(NAME);
    await page.getByLabel('Voice agent ID').fill('demo-agent');
    for (const day of ['Sun', 'Sat']) await page.getByRole('checkbox', { name: day }).check();
    await page.getByLabel('First call').fill('00:00');
    await page.getByLabel('Last call').fill('00:00');
    await page.getByLabel('Attempts per contact').fill('1');
    await saveScreenshot(page, 'campaigns-wizard-settings');
    await page.getByRole('button', { name: 'Next: review' }).click();

    // Step 3: the review, then a draft.
    await page.getByRole('heading', { name: 'Step 3 of 3: Review and create' }).waitFor();
    expect(await page.locator('.review').textContent()).toContain(`${PICKED} contacts`);
    await expect
      .poll(() => page.locator('.review-duration').textContent())
      .toMatch(/of calling at your limit of 2 calls/);
    await saveScreenshot(page, 'campaigns-wizard-review');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop() as string;
    expect(problems.unexpected()).toEqual([]);

    // The detail page: a draft; only opted-out contacts (skipped) count as done yet.
    const detail = page;
    await detail.waitForLoadState('networkidle').catch(() => {});
    const initial = await counts(campaignId);
    expect(initial.flying).toBe(0);
    expect(await percent(detail)).toBe(Math.floor((initial.done / PICKED) * 100));
    expect(await detail.locator('.campaign-monitor .status-badge').first().textContent()).toContain(
      'Draft',
    );
    const start = detail.getByRole('button', { name: `Start ${NAME}` });
    await expect.poll(() => start.isEnabled()).toBe(true);
    await start.click();
    await expect
      .poll(() => detail.locator('.campaign-monitor .status-badge').first().textContent())
      .toContain('Running');

    // The bar moves on its own: at least three distinct values below 100 without a reload.
    const seen = new Set<number>([await percent(detail)]);
    const navigations: string[] = [];
    detail.on('framenavigated', (frame) => {
      if (frame === detail.mainFrame()) navigations.push(frame.url());
    });
    const deadline = Date.now() + 60_000;
    while (seen.size < 3 && Date.now() < deadline) {
      const value = await percent(detail);
      if (value < 100) seen.add(value);
      await detail.waitForTimeout(250);
    }
    expect([...seen].length).toBeGreaterThanOrEqual(3);
    expect(navigations).toEqual([]);
    await saveScreenshot(detail, 'campaigns-detail-running');

    // Pause: calls in flight end, then nothing moves.
    await detail.getByRole('button', { name: `Pause ${NAME}` }).click();
    await expect
      .poll(() => detail.locator('.campaign-monitor .status-badge').first().textContent())
      .toContain('Paused');
    await expect.poll(async () => (await counts(campaignId)).flying, { timeout: 20_000 }).toBe(0);
    const paused = await counts(campaignId);
    expect(paused.open).toBeGreaterThan(0);
    await expect
      .poll(() => percent(detail), { timeout: 15_000 })
      .toBe(Math.floor((paused.done / PICKED) * 100));
    await detail.waitForTimeout(3_000);
    expect(await counts(campaignId)).toEqual(paused);
    expect(await percent(detail)).toBe(Math.floor((paused.done / PICKED) * 100));
    expect(await detail.locator('.monitor-eta').textContent()).toBe(
      'Paused: no estimate until it resumes',
    );

    // Resume, and it runs to the end.
    await detail.getByRole('button', { name: `Resume ${NAME}` }).click();
    await expect.poll(() => percent(detail), { timeout: 90_000, interval: 500 }).toBe(100);
    await expect
      .poll(() => detail.locator('.campaign-monitor .status-badge').first().textContent(), {
        timeout: 15_000,
      })
      .toContain('Completed');
    expect(await counts(campaignId)).toMatchObject({ done: PICKED, open: 0 });
    expect(navigations).toEqual([]);

    // Export: one line per call, every one in a final state.
    const [download] = await Promise.all([
      detail.waitForEvent('download'),
      detail.getByRole('link', { name: 'Export results (CSV)' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toMatch(/^name,phone,status,outcome,attempts/);
    expect(csv).toHaveLength(PICKED + 1);
    for (const line of csv.slice(1)) expect(line).toMatch(/,(completed|failed|skipped),/);
    expect(problems.unexpected()).toEqual([]);
  }, 240_000);

  it('shows the list, the wizard and the detail page at desktop width and at 375 px', async () => {
    const [row] = await t.db.execute<{ id: string }>(
      sql`select id from call_campaigns where tenant_id = ${who.tenantId} limit 1`,
    );
    // The worker's campaign-stats job, which the test worker (dispatch only) does not run.
    await rollupDueCampaigns(t.db, new Date());
    const pages = [
      ['/campaigns?tab=completed', 'campaigns-list'],
      ['/campaigns/new', 'campaigns-wizard'],
      [`/campaigns/${row?.id}`, 'campaigns-detail'],
      [`/campaigns/${row?.id}?tab=audit`, 'campaigns-audit'],
    ] as const;
    for (const [path, name] of pages) {
      for (const width of [1280, 375]) {
        const { page, problems } = await open(path, width);
        await page.waitForLoadState('networkidle').catch(() => {});
        if (name === 'campaigns-list') {
          expect(await page.locator('.campaign-card').count()).toBe(1);
          expect(await page.locator('.campaign-card .status-badge').textContent()).toContain(
            'Completed',
          );
        }
        await fits(page, width);
        await saveScreenshot(page, width === 375 ? `${name}-375` : name);
        expect(problems.unexpected(), `${path} at ${width}`).toEqual([]);
      }
    }
  }, 120_000);
});
