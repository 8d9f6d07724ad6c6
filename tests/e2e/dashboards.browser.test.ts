/**
 * The CRM pages in Chromium on data from a real sync: each page's figures
 * equal the database's, no console errors, screenshots at desktop and 375 px.
 */
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/auth/tokens';
import { formatCurrency, formatNumber } from '../../src/lib/format/numbers';
import { runTenantSync } from '../../src/lib/sync/run-tenant-sync';
import { makeMember, makeSession, makeTenant } from '../factories';
import { describeBrowser, saveScreenshot, useBrowser } from '../helpers/browser';
import {
  connectTenant,
  newWebKey,
  simulatorSyncContext,
  TEST_SECRETS_KEY,
  useSimulator,
} from '../helpers/clienttether';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';

describeBrowser('CRM dashboards in a browser', () => {
  const chromium = useBrowser();
  const t = useTestDatabase();
  const webKey = newWebKey();
  const sim = useSimulator([{ webKey, seed: 44, clients: 180, opportunities: 90 }]);
  const server = useWebServer(() => t.url, { SECRETS_KEY: TEST_SECRETS_KEY });
  const state = {} as { tenantId: string; token: string };

  beforeAll(async () => {
    const tenant = await makeTenant(t.db, {
      name: 'Cascade Franchise Group',
      timezone: 'America/Denver',
    });
    await connectTenant(t.db, tenant.id, webKey);
    const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id);
    if (outcome.status !== 'success') throw new Error(`sync ${outcome.status}`);
    const { user } = await makeMember(t.db, { tenant, role: 'owner' });
    const { token } = await makeSession(t.db, user.id);
    state.tenantId = tenant.id;
    state.token = token;
  });

  async function open(path: string, width = 1280) {
    const { page, problems } = await chromium.newPage({ viewport: { width, height: 900 } });
    const { hostname } = new URL(server.url);
    await page.context().addCookies([
      { name: 'sb_session', value: state.token, domain: hostname, path: '/' },
      { name: 'sb_tenant', value: state.tenantId, domain: hostname, path: '/' },
    ]);
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('networkidle');
    return { page, problems };
  }

  const kpi = (page: Page, label: string) =>
    page
      .locator('article.kpi-card', { has: page.getByRole('heading', { name: label, exact: true }) })
      .locator('.kpi-value');

  async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
    const [row] = await t.db.execute(query);
    return row as T;
  }

  it('leads: the all-time total equals the synced leads', async () => {
    const { page, problems } = await open('/leads?range=all');
    const { n } = await one<{ n: number }>(
      sql`select count(*)::int as n from ct_leads where tenant_id = ${state.tenantId} and deleted_at is null`,
    );
    await expect.poll(() => kpi(page, 'Total leads').textContent()).toBe(formatNumber(n));
    await expect
      .poll(() =>
        page
          .locator('table')
          .first()
          .isVisible()
          .catch(() => true),
      )
      .toBeDefined();
    await saveScreenshot(page, 'leads');
    expect(problems).toEqual([]);
  });

  it('pipeline: total and weighted value equal the stage table', async () => {
    const { page, problems } = await open('/pipeline');
    const row = await one<{
      total: string;
      weighted: string;
    }>(sql`select sum(total_value) as total, sum(weighted_value) as weighted
      from pipeline_stage_counts where tenant_id = ${state.tenantId}`);
    expect(await kpi(page, 'Total pipeline value').textContent()).toBe(
      formatCurrency(Number(row.total), { compact: true }),
    );
    expect(await kpi(page, 'Weighted value').textContent()).toBe(
      formatCurrency(Number(row.weighted), { compact: true }),
    );
    await saveScreenshot(page, 'pipeline');
    expect(problems).toEqual([]);
  });

  it('hot list: the first row is the largest weighted IFF and the count matches', async () => {
    const { page, problems } = await open('/hot-list');
    const top = await one<{
      candidate: string;
      n: number;
    }>(sql`select candidate, (select count(*)::int from hot_list_items where tenant_id = ${state.tenantId}) as n
      from hot_list_items where tenant_id = ${state.tenantId} order by weighted_iff desc, candidate limit 1`);
    expect(await kpi(page, 'Hot prospects').textContent()).toBe(formatNumber(top.n));
    expect(await page.locator('tbody tr').first().locator('td').first().textContent()).toBe(
      top.candidate,
    );
    await saveScreenshot(page, 'hot-list');
    expect(problems).toEqual([]);
  });

  it('notes: newest first, and search narrows the list', async () => {
    const { page, problems } = await open('/notes');
    const newest = await one<{
      author: string | null;
    }>(sql`select author from ct_notes where tenant_id = ${state.tenantId} and deleted_at is null
      order by noted_at desc nulls last, ct_id limit 1`);
    await expect(
      page.locator('.note').first().locator('.note-meta').textContent(),
    ).resolves.toContain(newest.author ?? 'Unknown author');
    await saveScreenshot(page, 'notes');
    await page.getByLabel('Search notes').fill('zzzz-no-such-words');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForLoadState('networkidle');
    await expect(page.getByRole('heading', { name: 'No notes match' }).isVisible()).resolves.toBe(
      true,
    );
    expect(problems).toEqual([]);
  });

  it('notes: "Load more" is a plain link to the next keyset page', async () => {
    const { page, problems } = await open('/notes');
    const rows = await t.db.execute<{ ct_id: string }>(sql`select ct_id from ct_notes
      where tenant_id = ${state.tenantId} and deleted_at is null
      order by noted_at desc nulls last, ct_id limit 51`);
    expect(rows).toHaveLength(51);
    const more = page.getByRole('link', { name: 'Load more' });
    expect(await more.getAttribute('href')).toMatch(/^\?after=[A-Za-z0-9_-]+$/);
    await more.click();
    await page.waitForLoadState('networkidle');
    expect(page.url()).toContain('after=');
    await expect(page.getByRole('link', { name: 'Back to newest' }).isVisible()).resolves.toBe(
      true,
    );
    // The 51st note opens the second page.
    const [first] = await t.db.execute<{ author: string | null; content_text: string }>(
      sql`select author, content_text from ct_notes where tenant_id = ${state.tenantId} and ct_id = ${rows[50]?.ct_id}`,
    );
    await expect(
      page.locator('.note').first().locator('.note-meta').textContent(),
    ).resolves.toContain(first?.author ?? 'Unknown author');
    expect(problems).toEqual([]);
  });

  it('schedule: the first entry is the next activity', async () => {
    const { page, problems } = await open('/schedule');
    const next = await one<{
      title: string | null;
    }>(sql`select title from ct_scheduled_activities where tenant_id = ${state.tenantId}
      and deleted_at is null and starts_at > now() order by starts_at, ct_id limit 1`);
    await expect(
      page.locator('.schedule-list li').first().locator('strong').textContent(),
    ).resolves.toBe(next.title ?? 'Activity');
    await saveScreenshot(page, 'schedule');
    expect(problems).toEqual([]);
  });

  it('every page fits a 375 px phone without sideways scrolling', async () => {
    for (const path of ['dashboard', 'leads', 'pipeline', 'hot-list', 'notes', 'schedule']) {
      const { page, problems } = await open(`/${path}`, 375);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      await saveScreenshot(page, `${path}-375`);
      expect(problems, path).toEqual([]);
    }
    const [session] = await t.db.execute(
      sql`select 1 from sessions where id = ${hashToken(state.token)}`,
    );
    expect(session).toBeDefined();
  });
});
