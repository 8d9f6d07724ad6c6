import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type postgres from 'postgres';
import { getImport } from '../../src/lib/contacts/imports/get-import';
import type { ImportLimits } from '../../src/lib/contacts/imports/limits';
import { startImport } from '../../src/lib/contacts/imports/start-import';
import type { ContactImportView } from '../../src/lib/contacts/types';
import type { Database } from '../../src/lib/db/client';

export function testImportLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
  return {
    maxBytes: 100 * 1024 * 1024,
    maxRows: 1_000_000,
    maxColumns: 50,
    maxRecordBytes: 64 * 1024,
    spoolDir: mkdtempSync(join(tmpdir(), 'sb-import-test-')),
    ...overrides,
  };
}

/** A multipart upload as a browser sends it: the `mode` field, then the file. */
export function uploadRequest(
  body: string | Uint8Array,
  options: { mode?: string; fileName?: string } = {},
): Request {
  const form = new FormData();
  form.append('mode', options.mode ?? 'skip');
  const part = typeof body === 'string' ? body : new Uint8Array(body);
  form.append('file', new Blob([part], { type: 'text/csv' }), options.fileName ?? 'contacts.csv');
  return new Request('http://localhost/api/contacts/import', { method: 'POST', body: form });
}

/** Polls until the import has finished (completed or failed). */
export async function waitForImport(
  db: Database,
  tenantId: string,
  importId: string,
  timeoutMs = 60_000,
): Promise<ContactImportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await getImport(db, tenantId, importId);
    if (!found.ok) throw new Error(found.error.message);
    if (found.data.status === 'completed' || found.data.status === 'failed') return found.data;
    if (Date.now() > deadline) throw new Error(`import ${importId} still ${found.data.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface ImportHarness {
  db: Database;
  sql: postgres.Sql;
  limits?: ImportLimits;
}

/** Uploads `csv` for the tenant and waits for the outcome; `started` is what the route would answer. */
export async function importCsv(
  harness: ImportHarness,
  tenant: { id: string; userId: string },
  csv: string | Uint8Array,
  options: { mode?: string; fileName?: string; chunkRows?: number } = {},
) {
  const started = await startImport(
    {
      db: harness.db,
      sql: harness.sql,
      limits: harness.limits ?? testImportLimits(),
      tenantId: tenant.id,
      userId: tenant.userId,
      chunkRows: options.chunkRows,
    },
    uploadRequest(csv, options),
  );
  if (!started.ok) return { started, final: null };
  return { started, final: await waitForImport(harness.db, tenant.id, started.data.id) };
}
