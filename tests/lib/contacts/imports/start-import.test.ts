import { readdirSync } from 'node:fs';
import { and, asc, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildErrorReport } from '../../../../src/lib/contacts/imports/error-report';
import { getImport } from '../../../../src/lib/contacts/imports/get-import';
import { startImport } from '../../../../src/lib/contacts/imports/start-import';
import { contactImportErrors, contacts } from '../../../../src/lib/db/schema';
import { withTenant } from '../../../../src/lib/db/tenant';
import { makeMember } from '../../../factories';
import { importCsv, testImportLimits, uploadRequest } from '../../../factories/imports';
import { useTestDatabase } from '../../../helpers/db';

const t = useTestDatabase({ max: 8 });

async function newTenant() {
  const { tenant, user } = await makeMember(t.db, { role: 'owner' });
  return { id: tenant.id, userId: user.id };
}

function contactsOf(tenantId: string) {
  return withTenant(t.db, tenantId, (tx) =>
    tx
      .select()
      .from(contacts)
      .where(eq(contacts.tenantId, tenantId))
      .orderBy(asc(contacts.phoneE164)),
  );
}

function errorsOf(tenantId: string, importId: string) {
  return withTenant(t.db, tenantId, (tx) =>
    tx
      .select()
      .from(contactImportErrors)
      .where(
        and(eq(contactImportErrors.tenantId, tenantId), eq(contactImportErrors.importId, importId)),
      )
      .orderBy(asc(contactImportErrors.line)),
  );
}

const BASIC = [
  'Name,Phone Number,Email,Company,City',
  'Ada Lovelace,(415) 555-2671,ada@example.com,Analytical,London',
  'Grace Hopper,+1 212 555 0143,,Navy,',
  'Alan Turing,+44 20 7946 0958,alan@example.com,,Wilmslow',
].join('\n');

describe('importing a CSV file', () => {
  it('imports every good row: phones in E.164, names, emails, custom columns as attributes, zones from the number', async () => {
    const tenant = await newTenant();
    const { started, final } = await importCsv(t, tenant, BASIC);
    expect(started.ok).toBe(true);
    expect(final).toMatchObject({
      status: 'completed',
      totalRows: 3,
      processedRows: 3,
      inserted: 3,
      updated: 0,
      duplicates: 0,
      invalid: 0,
      errorCount: 0,
      fileName: 'contacts.csv',
    });
    const rows = await contactsOf(tenant.id);
    expect(rows.map((r) => [r.phoneE164, r.name, r.email, r.company])).toEqual([
      ['+12125550143', 'Grace Hopper', null, 'Navy'],
      ['+14155552671', 'Ada Lovelace', 'ada@example.com', 'Analytical'],
      ['+442079460958', 'Alan Turing', 'alan@example.com', null],
    ]);
    const ada = rows.find((r) => r.name === 'Ada Lovelace');
    expect(ada?.attributes).toEqual({ City: 'London' });
    expect(ada?.source).toBe('import');
    expect(ada?.timezone).toBe('America/Los_Angeles');
    expect(rows.find((r) => r.name === 'Alan Turing')?.timezone).toBe('Europe/London');
  });

  it('reads first_name + last_name, a BOM, CRLF and semicolons exactly like the plain file', async () => {
    const plain = await newTenant();
    const excel = await newTenant();
    await importCsv(
      t,
      plain,
      'first_name,last_name,mobile\nAda,Lovelace,4155552671\nGrace,Hopper,2125550143\n',
    );
    const { final } = await importCsv(
      t,
      excel,
      '\uFEFFFirst Name;Last Name;Mobile\r\nAda;Lovelace;4155552671\r\nGrace;Hopper;2125550143\r\n',
    );
    expect(final?.inserted).toBe(2);
    const strip = (rows: Awaited<ReturnType<typeof contactsOf>>) =>
      rows.map((r) => [r.name, r.phoneE164, r.email, r.company, r.timezone, r.attributes]);
    expect(strip(await contactsOf(excel.id))).toEqual(strip(await contactsOf(plain.id)));
  });

  it('keeps quoted commas and line breaks, and reports a bad row after them by its physical line', async () => {
    const tenant = await newTenant();
    const csv = [
      'name,phone,notes', // line 1
      '"Lovelace, Ada",4155552671,"first line', // line 2
      'second line, with comma"', // line 3
      'Bad Number,12345,', // line 4
      'Grace Hopper,2125550143,"said ""hi"""', // line 5
    ].join('\n');
    const { final } = await importCsv(t, tenant, csv);
    expect(final).toMatchObject({ status: 'completed', inserted: 2, invalid: 1, errorCount: 1 });
    const rows = await contactsOf(tenant.id);
    expect(rows.find((r) => r.name === 'Lovelace, Ada')?.attributes).toEqual({
      notes: 'first line\nsecond line, with comma',
    });
    expect(rows.find((r) => r.name === 'Grace Hopper')?.attributes).toEqual({ notes: 'said "hi"' });
    const errors = await errorsOf(tenant.id, final?.id ?? '');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 4, reason: expect.stringMatching(/^PHONE_/) });
    expect(errors[0]?.rawRow).toBe('Bad Number,12345,');
  });

  it('reports every kind of bad row with its line and reason, and imports the rest', async () => {
    const tenant = await newTenant();
    const csv = [
      'name,phone,email,timezone',
      'Ok One,4155550101,,',
      'No Phone,,,',
      'Bad Email,4155550102,not-an-email,',
      'Bad Zone,4155550103,,Mars/Olympus',
      'Too,Many,Fields,Here,Extra',
      'Trunk Zero,+44 07911 123456,,',
      'Ok Two,+14155550104,,America/Denver',
    ].join('\n');
    const { final } = await importCsv(t, tenant, csv);
    expect(final).toMatchObject({ processedRows: 7, inserted: 2, invalid: 5, errorCount: 5 });
    const errors = await errorsOf(tenant.id, final?.id ?? '');
    expect(errors.map((e) => [e.line, e.reason])).toEqual([
      [3, 'PHONE_MISSING'],
      [4, 'EMAIL_INVALID'],
      [5, 'TIMEZONE_INVALID'],
      [6, 'COLUMN_COUNT'],
      [7, 'PHONE_TRUNK_ZERO'],
    ]);
    expect(errors[4]?.message).toMatch(/\+447911123456/);
    expect((await contactsOf(tenant.id)).find((r) => r.name === 'Ok Two')?.timezone).toBe(
      'America/Denver',
    );
  });

  it('an unreadable record (stray quote) is reported and the import goes on', async () => {
    const tenant = await newTenant();
    const csv = 'name,phone\nAda,4155550101\nBro"ken,4155550102\nGrace,4155550103\n';
    const { final } = await importCsv(t, tenant, csv);
    expect(final).toMatchObject({ status: 'completed', inserted: 2, invalid: 1 });
    const [error] = await errorsOf(tenant.id, final?.id ?? '');
    expect(error).toMatchObject({ line: 3, reason: 'MALFORMED_ROW' });
  });
});

describe('duplicates', () => {
  const file = [
    'name,phone,company',
    'First,4155550101,Acme',
    'Other,4155550102,',
    'Second,(415) 555-0101,Globex',
  ].join('\n');

  it('skip mode: the first row of a repeated phone wins, the rest count as duplicates', async () => {
    const tenant = await newTenant();
    const { final } = await importCsv(t, tenant, file, { mode: 'skip' });
    expect(final).toMatchObject({ inserted: 2, updated: 0, duplicates: 1, invalid: 0 });
    expect((await contactsOf(tenant.id)).map((r) => r.name)).toEqual(['First', 'Other']);
  });

  it('update mode: the last row of a repeated phone wins', async () => {
    const tenant = await newTenant();
    const { final } = await importCsv(t, tenant, file, { mode: 'update' });
    expect(final).toMatchObject({ inserted: 2, updated: 0, duplicates: 1 });
    expect((await contactsOf(tenant.id))[0]).toMatchObject({ name: 'Second', company: 'Globex' });
  });

  it('repeats across chunks count the same as within one', async () => {
    for (const mode of ['skip', 'update']) {
      const tenant = await newTenant();
      const { final } = await importCsv(t, tenant, file, { mode, chunkRows: 1 });
      expect(final).toMatchObject({ inserted: 2, updated: 0, duplicates: 1, processedRows: 3 });
      expect((await contactsOf(tenant.id))[0]?.name).toBe(mode === 'skip' ? 'First' : 'Second');
    }
  });

  it('existing contacts: skip leaves them alone; update fills in the file’s values and never clears an opt-out', async () => {
    const tenant = await newTenant();
    await importCsv(
      t,
      tenant,
      'name,phone,email\nOld Name,4155550101,old@example.com\nKeep,4155550102,\n',
    );
    await withTenant(t.db, tenant.id, (tx) =>
      tx
        .update(contacts)
        .set({ optedOutAt: new Date('2026-01-01T00:00:00Z') })
        .where(eq(contacts.phoneE164, '+14155550101')),
    );
    const next = 'name,phone,email\nNew Name,4155550101,\nKeep,4155550102,\nFresh,4155550103,\n';

    const skipped = await importCsv(t, tenant, next, { mode: 'skip' });
    expect(skipped.final).toMatchObject({ inserted: 1, updated: 0, duplicates: 2 });
    expect((await contactsOf(tenant.id))[0]?.name).toBe('Old Name');

    const updated = await importCsv(t, tenant, next, { mode: 'update' });
    expect(updated.final).toMatchObject({ inserted: 0, updated: 1, duplicates: 2 });
    const [first] = await contactsOf(tenant.id);
    expect(first).toMatchObject({ name: 'New Name', email: 'old@example.com' });
    expect(first?.optedOutAt).toEqual(new Date('2026-01-01T00:00:00Z'));
  });
});

describe('files refused before any row is written', () => {
  const cases: [string, string | Uint8Array, RegExp, number?][] = [
    ['no phone column', 'name,email\nAda,ada@example.com\n', /no phone column/i],
    ['an empty file', '', /empty/i],
    ['a header with no rows', 'name,phone\n', /no contacts/i],
    ['a ZIP/Excel file', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), /Excel|ZIP/],
    [
      'binary with NUL bytes',
      new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x2c, 0, 0x70, 0x0a]),
      /binary/i,
    ],
    [
      'invalid UTF-8',
      new Uint8Array([0x6e, 0x2c, 0x70, 0x68, 0x6f, 0x6e, 0x65, 0x0a, 0xc3, 0x28, 0x0a]),
      /UTF-8/,
    ],
    ['UTF-16', new Uint8Array([0xff, 0xfe, 0x6e, 0x00, 0x2c, 0x00]), /UTF-16/],
  ];
  for (const [label, body, message] of cases) {
    it(`refuses ${label}`, async () => {
      const tenant = await newTenant();
      const { started } = await importCsv(t, tenant, body);
      expect(started.ok).toBe(false);
      if (started.ok) return;
      expect(started.error.code).toBe('VALIDATION');
      expect(started.error.message).toMatch(message);
      expect(await contactsOf(tenant.id)).toEqual([]);
    });
  }

  it('leaves the refused upload as a failed import with the reason, and no file on disk', async () => {
    const tenant = await newTenant();
    const limits = testImportLimits();
    const started = await startImport(
      { db: t.db, sql: t.sql, limits, tenantId: tenant.id, userId: tenant.userId },
      uploadRequest('name,email\nx,y\n'),
    );
    expect(started.ok).toBe(false);
    const history = await withTenant(t.db, tenant.id, (tx) => tx.query.contactImports.findMany());
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/phone/i),
    });
    expect(readdirSync(limits.spoolDir)).toEqual([]);
  });

  const limitCases: [string, Partial<ReturnType<typeof testImportLimits>>, string][] = [
    [
      'more rows than allowed',
      { maxRows: 3 },
      'name,phone\na,4155550101\nb,4155550102\nc,4155550103\nd,4155550104\n',
    ],
    ['more columns than allowed', { maxColumns: 2 }, 'name,phone,email\na,4155550101,\n'],
    [
      'a record over the size limit',
      { maxRecordBytes: 64 },
      `name,phone\n"${'x'.repeat(100)}",4155550101\n`,
    ],
    ['a file over the size limit', { maxBytes: 40 }, `name,phone\n${'a,4155550101\n'.repeat(10)}`],
  ];
  for (const [label, overrides, body] of limitCases) {
    it(`answers 413 for ${label}, importing nothing`, async () => {
      const tenant = await newTenant();
      const { started } = await importCsv(
        { db: t.db, sql: t.sql, limits: testImportLimits(overrides) },
        tenant,
        body,
      );
      expect(started.ok).toBe(false);
      if (!started.ok) expect(started.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await contactsOf(tenant.id)).toEqual([]);
    });
  }
});

describe('an interrupted upload', () => {
  it('leaves a failed import and no contacts', async () => {
    const tenant = await newTenant();
    const boundary = 'sbtestboundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nskip\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nname,phone\r\n${'Someone,4155550101\r\n'.repeat(500)}`;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
        setTimeout(() => controller.error(new Error('client went away')), 50);
      },
    });
    const request = new Request('http://localhost/api/contacts/import', {
      method: 'POST',
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      duplex: 'half',
    } as RequestInit);
    const started = await startImport(
      {
        db: t.db,
        sql: t.sql,
        limits: testImportLimits(),
        tenantId: tenant.id,
        userId: tenant.userId,
      },
      request,
    );
    expect(started.ok).toBe(false);
    const history = await withTenant(t.db, tenant.id, (tx) => tx.query.contactImports.findMany());
    expect(history[0]).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/interrupted/),
    });
    expect(await contactsOf(tenant.id)).toEqual([]);
  });
});

describe('tenants', () => {
  it("never touches another tenant's contacts, and another tenant's import is not found", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await importCsv(t, b, 'name,phone\nB Person,4155550101\n');
    const { final } = await importCsv(t, a, 'name,phone\nA Person,4155550101\n', {
      mode: 'update',
    });
    expect(final?.inserted).toBe(1);
    expect((await contactsOf(b.id)).map((r) => r.name)).toEqual(['B Person']);
    expect((await contactsOf(a.id)).map((r) => r.name)).toEqual(['A Person']);
    const foreign = await getImport(t.db, b.id, final?.id ?? '');
    expect(foreign.ok).toBe(false);
    const report = await buildErrorReport(t.db, b.id, final?.id ?? '');
    expect(report.ok).toBe(false);
  });
});

describe('the error report', () => {
  it('lists rejected rows as formula-safe CSV', async () => {
    const tenant = await newTenant();
    const { final } = await importCsv(
      t,
      tenant,
      'name,phone\n"=HYPERLINK(""http://evil"")",nope\n@SUM(A1),4155550101\n',
      {
        fileName: 'Leads March.csv',
      },
    );
    const report = await buildErrorReport(t.db, tenant.id, final?.id ?? '');
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.data.fileName).toBe('Leads-March-errors.csv');
    const lines = report.data.csv.split('\r\n');
    expect(lines[0]).toBe('line,reason,message,row');
    expect(lines[1]).toMatch(/^2,PHONE_INVALID,/);
    // The raw row's cell is escaped inside, and the whole row cell starts with a quote mark.
    expect(lines[1]).toContain(`"'=HYPERLINK`);
    // The formula-looking name of the good row was imported as text.
    expect((await contactsOf(tenant.id))[0]?.name).toBe('@SUM(A1)');
  });
});

describe('a large file', () => {
  it('imports 200,000 rows with the right counts', async () => {
    const tenant = await newTenant();
    const lines = ['name,phone,email'];
    for (let i = 0; i < 200_000; i++) {
      // Every 50th row repeats an earlier phone; every 100th is invalid.
      const n = i % 50 === 49 ? i - 1 : i;
      const phone = i % 100 === 99 ? '555' : `+1415${String(2_000_000 + n).padStart(7, '0')}`;
      lines.push(`Person ${i},${phone},p${i}@example.com`);
    }
    const { final } = await importCsv(t, tenant, lines.join('\n'));
    expect(final).toMatchObject({
      status: 'completed',
      totalRows: 200_000,
      processedRows: 200_000,
      invalid: 2_000,
      duplicates: 2_000,
      inserted: 196_000,
      errorCount: 2_000,
    });
    const [stored] = await withTenant(t.db, tenant.id, (tx) =>
      tx.select({ n: count() }).from(contacts),
    );
    expect(stored?.n).toBe(196_000);
    expect(await errorsOf(tenant.id, final?.id ?? '')).toHaveLength(1_000);
  }, 120_000);
});
