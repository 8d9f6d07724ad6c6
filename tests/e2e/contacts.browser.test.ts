/**
 * Contacts and the CSV import in Chromium, against the built server and a
 * real database: a newcomer imports the advanced template with a few bad rows
 * and reads an exact summary and error report; the add-contact modal works
 * from the keyboard; bulk opt-out and delete; a file that isn't CSV is refused
 * clearly. No console errors, screenshots at desktop and 375 px.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeMember, makeSession, makeTenant } from '../factories';
import { makeContacts } from '../factories/contacts';
import { describeBrowser, saveScreenshot, useBrowser } from '../helpers/browser';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';

const TEMPLATE = resolve(
  import.meta.dirname,
  '../../public/templates/call-campaign-advanced-template.csv',
);

/**
 * The start of a real .xlsx: a ZIP local file header ("PK\x03\x04", NUL
 * bytes and all) for [Content_Types].xml, then deflated (binary) data.
 */
const WORKBOOK = Buffer.concat([
  Buffer.from('504b0304140006000800000021006288a07d7a0100002c05000013000802', 'hex'),
  Buffer.from('[Content_Types].xml'),
  Buffer.from('a2040228a000020000000000000000000000', 'hex'),
  Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 151 + 7) % 256)),
]);

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4a60000000049454e44ae426082',
  'hex',
);

/** The browser logs every 4xx/5xx answer as a console error with this text (the URL is not in it). */
const FAILED_RESOURCE =
  /^console\.error: Failed to load resource: the server responded with a status of (\d+)/;

/** An HTTP answer the test provokes on purpose: its console line is not a problem. */
interface Expected {
  path: string;
  status: number;
}

describeBrowser('contacts and CSV import in a browser', () => {
  const chromium = useBrowser();
  const t = useTestDatabase();
  const server = useWebServer(() => t.url);
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-contacts-e2e-'));
  type Workspace = { tenantId: string; token: string };
  const ws = {} as Record<'importer' | 'keyboard' | 'bulk' | 'wrongFile', Workspace>;

  async function workspace(name: string): Promise<Workspace> {
    const tenant = await makeTenant(t.db, { name, timezone: 'America/New_York' });
    const { user } = await makeMember(t.db, { tenant, role: 'member' });
    const { token } = await makeSession(t.db, user.id);
    return { tenantId: tenant.id, token };
  }

  beforeAll(async () => {
    [ws.importer, ws.keyboard, ws.bulk, ws.wrongFile] = await Promise.all([
      workspace('Newcomer Realty'),
      workspace('Keyboard Franchising'),
      workspace('Bulk Brokers'),
      workspace('Wrong File Inc'),
    ]);
    await makeContacts(t.db, ws.keyboard.tenantId, [
      { name: 'Quinn Keys', company: 'Tab Order LLC' },
      { name: 'Rory Enter' },
    ]);
    await makeContacts(t.db, ws.bulk.tenantId, [
      { name: 'Bulk One' },
      { name: 'Bulk Two' },
      { name: 'Bulk Three' },
      { name: 'Bulk Four' },
    ]);
    await makeContacts(t.db, ws.wrongFile.tenantId, [{ name: 'Already Here' }]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A signed-in page at `path`, hydrated. `problems` holds the page's errors;
   * `unexpected()` is them minus the console lines of the 4xx answers listed
   * in `expected` (and fails on any other 4xx/5xx answer).
   */
  async function open(who: Workspace, path: string, width = 1280) {
    const { page, problems } = await chromium.newPage({
      viewport: { width, height: 900 },
      acceptDownloads: true,
    });
    const failures: Expected[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) {
        failures.push({ path: new URL(response.url()).pathname, status: response.status() });
      }
    });
    const { hostname } = new URL(server.url);
    await page.context().addCookies([
      { name: 'sb_session', value: who.token, domain: hostname, path: '/' },
      { name: 'sb_tenant', value: who.tenantId, domain: hostname, path: '/' },
    ]);
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('networkidle');
    const unexpected = (expected: Expected[] = []) => {
      expect(failures).toEqual(expected);
      const statuses = expected.map((e) => String(e.status));
      return problems.filter((p) => {
        const status = FAILED_RESOURCE.exec(p)?.[1];
        const index = status === undefined ? -1 : statuses.indexOf(status);
        if (index === -1) return true;
        statuses.splice(index, 1);
        return false;
      });
    };
    return { page, unexpected };
  }

  async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
    const [row] = await t.db.execute(query);
    return row as T;
  }

  const contactCount = (tenantId: string) =>
    one<{ n: number }>(
      sql`select count(*)::int as n from contacts where tenant_id = ${tenantId}`,
    ).then((r) => r.n);

  /** The file input, once the island has hydrated and enabled it. */
  async function fileInput(page: Page) {
    const input = page.locator('input[type="file"]');
    await expect.poll(() => input.isEnabled()).toBe(true);
    return input;
  }

  /** Clicks a link with `download` and returns the saved file's text. */
  async function download(page: Page, name: string | RegExp) {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name }).first().click(),
    ]);
    const path = await file.path();
    return { text: readFileSync(path, 'utf8'), fileName: file.suggestedFilename() };
  }

  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName ?? '',
        text: el?.textContent?.trim() ?? '',
        name: el?.getAttribute('name') ?? '',
        label: el?.getAttribute('aria-label') ?? '',
      };
    });

  it('a newcomer imports the advanced template with bad rows: exact summary, error report, history and list', async () => {
    const who = ws.importer;
    const { page, unexpected } = await open(who, '/contacts/import');

    // The template link answers with a CSV attachment, and downloads the file in public/.
    const link = page.getByRole('link', { name: 'Advanced template' });
    const href = await link.getAttribute('href');
    expect(href).toBe('/api/campaigns/csv-template?type=advanced');
    const head = await page.request.get(`${server.url}${href}`);
    expect(head.status()).toBe(200);
    expect(head.headers()['content-type']).toMatch(/^text\/csv/);
    expect(head.headers()['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
    const template = await download(page, 'Advanced template');
    expect(template.fileName).toMatch(/\.csv$/);
    expect(template.text).toBe(readFileSync(TEMPLATE, 'utf8'));

    const lines = template.text.replace(/\r?\n$/, '').split(/\r?\n/);
    const headers = (lines[0] ?? '').split(',');
    const names = lines.slice(1).map((l) => l.split(',')[0] ?? '');
    const firstPhone = lines[1]?.split(',')[1] ?? '';
    expect(names.length).toBe(5);
    expect(firstPhone).toMatch(/^\+1\d{10}$/);
    const width = headers.length;
    const pad = (cells: string[]) => [...cells, ...Array(width - cells.length).fill('')].join(',');
    // Physical lines: the header is 1, the template rows 2..6, ours 7..10.
    const bad = {
      phone: pad(['Bad Phone', '12', 'bad.phone@example.com']),
      email: pad(['Bad Email', '+12025550177', 'not-an-email']),
      wide: `${pad(['Too Wide', '+12025550178', 'wide@example.com'])},extra,more`,
    };
    const repeat = pad(['Alex Again', firstPhone, 'again@example.com']);
    const csv = `${template.text.replace(/\r?\n?$/, '\n')}${[bad.phone, bad.email, bad.wide, repeat].join('\n')}\n`;
    const path = join(dir, 'my-first-contacts.csv');
    writeFileSync(path, csv);

    await (await fileInput(page)).setInputFiles(path);
    const preview = page.getByRole('region', { name: 'Preview of my-first-contacts.csv' });
    await expect.poll(() => preview.isVisible()).toBe(true);
    const shown = await preview.locator('thead th').allTextContents();
    expect(shown).toEqual(headers.map((h) => (h === 'phone' ? 'phone phone' : h)));
    expect(await preview.locator('tbody tr').first().locator('td').first().textContent()).toBe(
      names[0],
    );
    const skip = page.getByRole('radio', { name: 'Skip contacts that already exist' });
    expect(await skip.isChecked()).toBe(true);
    await saveScreenshot(page, 'contacts-import-preview');

    await page.getByRole('button', { name: 'Import contacts' }).click();
    const done = page.getByRole('heading', { name: /^Import complete/ });
    await done.waitFor({ timeout: 15_000 });
    const counts = await page
      .locator('.import-counts > div')
      .evaluateAll((items) =>
        Object.fromEntries(
          items.map((d) => [
            d.querySelector('dt')?.textContent,
            d.querySelector('dd')?.textContent,
          ]),
        ),
      );
    expect(counts).toEqual({
      'New contacts': '5',
      Updated: '0',
      Duplicates: '1',
      'Invalid rows': '3',
    });
    // The summary takes focus, since the Import button it replaces is gone.
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('import-result');
    await saveScreenshot(page, 'contacts-import-summary');

    const job = await one<{
      id: string;
      status: string;
      inserted: number;
      duplicates: number;
      invalid: number;
      error_count: number;
      total_rows: number;
    }>(sql`select id, status, inserted, duplicates, invalid, error_count, total_rows
      from contact_imports where tenant_id = ${who.tenantId}`);
    expect(job).toMatchObject({
      status: 'completed',
      inserted: 5,
      duplicates: 1,
      invalid: 3,
      error_count: 3,
      total_rows: 9,
    });

    // The error report: the three bad rows at their physical line numbers.
    const reportUrl = `/api/contacts/imports/${job.id}/errors.csv`;
    expect(
      await page
        .getByRole('link', { name: 'Download the error report (3 rows)' })
        .getAttribute('href'),
    ).toBe(reportUrl);
    const reportHead = await page.request.get(`${server.url}${reportUrl}`);
    expect(reportHead.status()).toBe(200);
    expect(reportHead.headers()['content-type']).toMatch(/^text\/csv/);
    expect(reportHead.headers()['content-disposition']).toBe(
      'attachment; filename="my-first-contacts-errors.csv"',
    );
    const report = await download(page, 'Download the error report (3 rows)');
    const reportLines = report.text.replace(/\r\n$/, '').split('\r\n');
    expect(reportLines[0]).toBe('line,reason,message,row');
    expect(reportLines).toHaveLength(4);
    expect(reportLines[1]).toMatch(/^7,PHONE_[A-Z_]+,.*Bad Phone/);
    expect(reportLines[2]).toMatch(/^8,EMAIL_INVALID,.*Bad Email/);
    expect(reportLines[3]).toMatch(/^9,COLUMN_COUNT,.*Too Wide/);

    // The history lists the import with the same numbers.
    const history = page.getByRole('table', { name: 'Recent imports' });
    const row = history.locator('tbody tr', { hasText: 'my-first-contacts.csv' });
    await expect.poll(() => row.count()).toBe(1);
    const cells = (await row.locator('td, th').allTextContents()).map((c) => c.trim());
    expect(cells).toContain('Completed');
    expect(cells.slice(3, 8)).toEqual(['9', '5', '0', '1', '3']);
    expect(unexpected()).toEqual([]);

    // The contacts page lists the template's people, as many as the database holds.
    const list = await open(who, '/contacts');
    const n = await contactCount(who.tenantId);
    expect(n).toBe(5);
    expect(await list.page.locator('.contacts-summary').textContent()).toBe(`${n} contacts`);
    const rowNames = await list.page.locator('tbody th[scope="row"]').allTextContents();
    expect([...rowNames].sort()).toEqual([...names].sort());
    expect(rowNames).not.toContain('Alex Again'); // skip mode: the first row with a phone wins
    await saveScreenshot(list.page, 'contacts-imported');
    expect(list.unexpected()).toEqual([]);
  });

  it('the add-contact modal works from the keyboard: field errors announced, focus returned on close', async () => {
    const who = ws.keyboard;
    const { page, unexpected } = await open(who, '/contacts');
    const add = page.getByRole('button', { name: 'Add contact' });
    await expect.poll(() => add.isEnabled()).toBe(true);

    await add.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add contact' });
    await dialog.waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'INPUT', name: 'name' });
    await page.keyboard.type('Morgan Keyboard');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'INPUT', name: 'phone' });
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');

    const phone = dialog.getByRole('textbox', { name: 'Phone (required)' });
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    const fieldError = page.locator(`[id="${errorId}"]`);
    expect(await fieldError.textContent()).toMatch(/\S/);
    expect(await fieldError.isVisible()).toBe(true);
    expect(await dialog.getByRole('alert').textContent()).toBe('Check the highlighted fields.');
    expect(await focused(page)).toMatchObject({ name: 'phone' }); // focus moved to the bad field
    await saveScreenshot(page, 'contacts-add-error');

    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('(202) 555-0142');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('status').first().textContent()).toBe('Added Morgan Keyboard.');
    await expect
      .poll(() => page.locator('tbody th[scope="row"]', { hasText: 'Morgan Keyboard' }).count())
      .toBe(1);
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Add contact' });
    const saved = await one<{ phone_e164: string } | undefined>(
      sql`select phone_e164 from contacts where tenant_id = ${who.tenantId} and name = 'Morgan Keyboard'`,
    );
    expect(saved?.phone_e164).toBe('+12025550142');

    // Escape closes the add modal, and focus goes back to its opener.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Add contact' });

    // The same for a row's Edit button.
    const edit = page.getByRole('button', { name: 'Edit Quinn Keys' });
    await edit.focus();
    await page.keyboard.press('Enter');
    const editDialog = page.getByRole('dialog', { name: 'Edit contact' });
    await editDialog.waitFor();
    expect(await editDialog.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Quinn Keys');
    await page.keyboard.press('Escape');
    await editDialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', label: 'Edit Quinn Keys' });

    expect(unexpected([{ path: '/api/contacts', status: 400 }])).toEqual([]);
  });

  it('bulk: two selected contacts are opted out, then deleted after a confirmation', async () => {
    const who = ws.bulk;
    const { page, unexpected } = await open(who, '/contacts');
    const box = (name: string) => page.getByRole('checkbox', { name: `Select ${name}` });
    await expect.poll(() => box('Bulk One').isEnabled()).toBe(true);

    await box('Bulk One').check();
    await box('Bulk Two').check();
    expect(await page.locator('.bulk-count').textContent()).toBe('2 selected');
    await page.getByRole('button', { name: 'Opt out selected' }).click();
    const optOut = page.getByRole('alertdialog', { name: 'Opt out 2 contacts?' });
    await optOut.waitFor();
    await optOut.getByRole('button', { name: 'Opt out contacts' }).click();
    await optOut.waitFor({ state: 'detached' });
    expect(await page.locator('.contacts-status').textContent()).toBe('Opted out 2 contacts.');

    await page.reload();
    await page.waitForLoadState('networkidle');
    const badge = (name: string) =>
      page.locator('tbody th[scope="row"]', { hasText: name }).locator('.opted-out-badge');
    expect(await badge('Bulk One').textContent()).toBe('Opted out');
    expect(await badge('Bulk Two').textContent()).toBe('Opted out');
    expect(await badge('Bulk Three').count()).toBe(0);
    expect(await badge('Bulk Four').count()).toBe(0);
    const opted = await t.db.execute(
      sql`select name from contacts where tenant_id = ${who.tenantId} and opted_out_at is not null order by name`,
    );
    expect(opted.map((r) => r.name)).toEqual(['Bulk One', 'Bulk Two']);
    await saveScreenshot(page, 'contacts-opted-out');

    await expect.poll(() => box('Bulk One').isEnabled()).toBe(true);
    await box('Bulk One').check();
    await box('Bulk Two').check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete 2 contacts?' });
    await confirm.waitFor();
    // The safe choice has focus first.
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Cancel' });
    await confirm.getByRole('button', { name: 'Delete contacts' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await page.locator('.contacts-status').textContent()).toBe('Deleted 2 contacts.');

    await page.reload();
    await page.waitForLoadState('networkidle');
    const names = await page.locator('tbody th[scope="row"]').allTextContents();
    expect([...names].sort()).toEqual(['Bulk Four', 'Bulk Three']);
    expect(await page.locator('.contacts-summary').textContent()).toBe('2 contacts');
    expect(await contactCount(who.tenantId)).toBe(2);
    expect(unexpected()).toEqual([]);
  });

  it('a file that is not a CSV is refused with a clear alert, and nothing is imported', async () => {
    const who = ws.wrongFile;
    const totals = () =>
      one<{ contacts: number; counted: number }>(sql`select
        (select count(*)::int from contacts where tenant_id = ${who.tenantId}) as contacts,
        (select coalesce(sum(inserted + updated + duplicates + invalid + processed_rows), 0)::int
           from contact_imports where tenant_id = ${who.tenantId}) as counted`);
    const before = await totals();
    const { page, unexpected } = await open(who, '/contacts/import');

    const xlsx = join(dir, 'contacts.xlsx');
    writeFileSync(xlsx, WORKBOOK);
    await (await fileInput(page)).setInputFiles(xlsx);
    await page.getByRole('button', { name: 'Import contacts' }).click();
    const alert = page.locator('.csv-import').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Excel workbook or a ZIP archive, not a CSV file/);
    await saveScreenshot(page, 'contacts-import-wrong-file');

    // A PNG: binary, not UTF-8.
    const png = join(dir, 'photo.png');
    writeFileSync(png, PNG);
    await (await fileInput(page)).setInputFiles(png);
    await expect.poll(() => alert.count()).toBe(0); // choosing another file clears the old error
    await page.getByRole('button', { name: 'Import contacts' }).click();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not UTF-8|binary data/);

    expect(await totals()).toEqual(before);
    const statuses = await t.db.execute(
      sql`select status from contact_imports where tenant_id = ${who.tenantId}`,
    );
    expect(statuses.every((r) => r.status === 'failed')).toBe(true);
    expect(
      unexpected([
        { path: '/api/contacts/import', status: 400 },
        { path: '/api/contacts/import', status: 400 },
      ]),
    ).toEqual([]);
  });

  it("a binary file's preview stays inside the page, at desktop width and at 375 px", async () => {
    const who = ws.wrongFile;
    const files = { 'contacts.xlsx': WORKBOOK, 'photo.png': PNG };
    const overflow: string[] = [];
    for (const width of [1280, 375]) {
      const { page, unexpected } = await open(who, '/contacts/import', width);
      for (const [name, bytes] of Object.entries(files)) {
        const path = join(dir, name);
        writeFileSync(path, bytes);
        await (await fileInput(page)).setInputFiles(path);
        await page.getByText(`Selected: ${name}`).waitFor();
        await page.waitForFunction(
          () => !document.body.textContent?.includes('Reading the first rows'),
        );
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scroll > width) overflow.push(`${name} at ${width} px: page is ${scroll} px wide`);
        await saveScreenshot(page, `contacts-import-binary-preview-${name.split('.')[1]}-${width}`);
      }
      expect(unexpected()).toEqual([]);
    }
    expect(overflow).toEqual([]);
  });

  it('both pages fit a 375 px phone without sideways scrolling, and look right at desktop width', async () => {
    const who = ws.keyboard;
    for (const [path, name] of [
      ['/contacts', 'contacts'],
      ['/contacts/import', 'contacts-import'],
    ] as const) {
      const desktop = await open(who, path);
      await saveScreenshot(desktop.page, name);
      expect(desktop.unexpected(), path).toEqual([]);

      const { page, unexpected } = await open(who, path, 375);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll, path).toBeLessThanOrEqual(375);
      await saveScreenshot(page, `${name}-375`);
      expect(unexpected(), path).toEqual([]);
    }

    // A wide preview scrolls inside its own box, not the page.
    const { page, unexpected } = await open(who, '/contacts/import', 375);
    await (await fileInput(page)).setInputFiles(TEMPLATE);
    await page.getByRole('region', { name: /^Preview of / }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await saveScreenshot(page, 'contacts-import-preview-375');
    expect(unexpected()).toEqual([]);
  });
});
