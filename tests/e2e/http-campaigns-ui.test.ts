/**
 * The campaign pages and the two routes issue 7 adds, over real HTTP against
 * the built server: the results export is formula-safe CSV, the progress
 * route answers the live monitor's poll, and neither leaks across workspaces
 * or to anonymous callers.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../../src/lib/campaigns/progress';
import { makeMember, makeSession } from '../factories';
import { makeCampaign } from '../factories/campaigns';
import { makeContacts } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);
let phones = 0;

async function workspace(names: string[]) {
  const { tenant, user } = await makeMember(t.db, { role: 'admin' });
  const client = new HttpClient(server.url);
  const { token } = await makeSession(t.db, user.id);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
  const contacts = await makeContacts(
    t.db,
    tenant.id,
    names.map((name) => ({ name, phoneE164: `+1720${String(5_550_000 + phones++)}` })),
  );
  const campaign = await makeCampaign(t.db, tenant.id, user.id, {
    name: 'Export =check',
    contacts: { ids: contacts.map((c) => c.id) },
    start: false,
  });
  return { client, tenant, user, campaign };
}

/** RFC 4180 rows of a small CSV (quoted cells may hold commas and quotes). */
function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) =>
        (m[1] ?? '').replace(/^"|"$/g, '').replaceAll('""', '"'),
      ),
    )
    .map((cells) => cells.slice(0, -1));
}

describe('campaign results export', () => {
  it('streams every call as CSV, with formula-looking cells neutralised', async () => {
    const { client, tenant, campaign } = await workspace([
      '=HYPERLINK("http://evil")',
      '+SUM(A1)',
      'Plain Person',
    ]);
    // A provider error text is outside our control too.
    await t.db.execute(sql`update call_queue set last_error = '@cmd|calc', status = 'failed', finished_at = now()
      where tenant_id = ${tenant.id} and contact_name = 'Plain Person'`);
    const response = await client.request(`/api/campaigns/${campaign.id}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="campaign-export-check-results.csv"',
    );
    const rows = parseCsv(await response.text());
    expect(rows[0]).toEqual([
      'name',
      'phone',
      'status',
      'outcome',
      'attempts',
      'duration_seconds',
      'dialled_at',
      'finished_at',
      'error',
      'recording_url',
    ]);
    expect(rows).toHaveLength(4);
    const names = rows.slice(1).map((r) => r[0]);
    expect(names).toEqual(['\'=HYPERLINK("http://evil")', "'+SUM(A1)", 'Plain Person']);
    const plain = rows.find((r) => r[0] === 'Plain Person');
    expect(plain?.[2]).toBe('failed');
    expect(plain?.[8]).toBe("'@cmd|calc");
    // No cell starts a formula once opened in a spreadsheet.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('answers 404 for another workspace’s campaign or an unknown id, and 401 without a session', async () => {
    const mine = await workspace(['Mine']);
    const theirs = await workspace(['Theirs']);
    expect((await mine.client.request(`/api/campaigns/${theirs.campaign.id}/export`)).status).toBe(
      404,
    );
    expect((await mine.client.request('/api/campaigns/not-a-uuid/export')).status).toBe(404);
    const anonymous = new HttpClient(server.url);
    const refused = await anonymous.request(`/api/campaigns/${mine.campaign.id}/export`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain('Mine');
  });
});

describe('campaign progress route', () => {
  it('answers the live monitor’s snapshot for the workspace’s own campaign', async () => {
    const { client, campaign } = await workspace(['A', 'B']);
    const response = await client.request(`/api/campaigns/${campaign.id}/progress`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: true; data: CampaignProgress };
    expect(body.data).toMatchObject({
      campaignId: campaign.id,
      status: 'draft',
      total: 2,
      completed: 0,
      etaSeconds: null,
      recentErrors: [],
    });
    expect(body.data.byStatus.queued).toBe(2);
  });

  it('is 404 for a foreign or unknown campaign and 401 for anonymous callers', async () => {
    const mine = await workspace(['Mine']);
    const theirs = await workspace(['Theirs']);
    const foreign = await mine.client.request(`/api/campaigns/${theirs.campaign.id}/progress`);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      (await mine.client.request('/api/campaigns/00000000-0000-4000-8000-000000000000/progress'))
        .status,
    ).toBe(404);
    expect(
      (await new HttpClient(server.url).request(`/api/campaigns/${mine.campaign.id}/progress`))
        .status,
    ).toBe(401);
  });
});

describe('campaign pages', () => {
  it('render the list, the detail, the wizard and the edit page for members; 404 for a foreign campaign', async () => {
    const mine = await workspace(['Page Person']);
    const theirs = await workspace(['Other']);
    const list = await mine.client.request('/campaigns');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('Export =check');
    expect(html).toContain('aria-current="page"'); // the Active tab (a draft is active)
    const detail = await mine.client.request(`/campaigns/${mine.campaign.id}`);
    expect(detail.status).toBe(200);
    const detailHtml = await detail.text();
    expect(detailHtml).toContain('Page Person'); // in the queue table
    expect(detailHtml).toContain(`/api/campaigns/${mine.campaign.id}/export`);
    expect((await mine.client.request(`/campaigns/${mine.campaign.id}?tab=audit`)).status).toBe(
      200,
    );
    expect((await mine.client.request(`/campaigns/${mine.campaign.id}/edit`)).status).toBe(200);
    expect((await mine.client.request('/campaigns/new?contacts=1,2')).status).toBe(200);
    const foreign = await mine.client.request(`/campaigns/${theirs.campaign.id}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('Other');
    const scheduled = await (await mine.client.request('/campaigns?tab=scheduled')).text();
    expect(scheduled).not.toContain('Export =check');
    expect(scheduled).toContain('Nothing here yet');
  });

  it('sends anonymous visitors to sign in', async () => {
    const response = await new HttpClient(server.url).request('/campaigns');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?next=%2Fcampaigns');
  });
});
