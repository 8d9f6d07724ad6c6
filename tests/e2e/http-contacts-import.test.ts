/**
 * The import endpoints over real HTTP against the built server: a multipart
 * upload is accepted with 202 and processed in the background; bad uploads,
 * foreign ids and missing sessions get clear answers and change nothing.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ContactImportView } from '../../src/lib/contacts/types';
import { makeMember, makeSession } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url, { IMPORT_MAX_BYTES: String(64 * 1024) });

async function signedIn() {
  const { tenant, user } = await makeMember(t.db, { role: 'member' });
  const client = new HttpClient(server.url);
  const { token } = await makeSession(t.db, user.id);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
  return { client, tenant };
}

function upload(client: HttpClient, csv: string, mode = 'skip') {
  const form = new FormData();
  form.append('mode', mode);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  return client.request('/api/contacts/import', { method: 'POST', body: form });
}

async function finished(client: HttpClient, id: string): Promise<ContactImportView> {
  for (let i = 0; i < 500; i++) {
    const response = await client.request(`/api/contacts/imports/${id}`);
    const body = (await response.json()) as { data: { import: ContactImportView } };
    if (['completed', 'failed'].includes(body.data.import.status)) return body.data.import;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('import did not finish');
}

describe('GET /api/contacts/export', () => {
  it('downloads the workspace’s contacts as formula-safe CSV that the importer reads back', async () => {
    const { client } = await signedIn();
    const done = await upload(client, 'name,phone,notes\n"=cmd|x",4155550101,hello\n');
    const { data } = (await done.json()) as { data: { import: ContactImportView } };
    await finished(client, data.import.id);
    const response = await client.request('/api/contacts/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="contacts-.+\.csv"$/,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const [header, row] = (await response.text()).split('\r\n');
    expect(header).toBe('name,phone,email,company,timezone,tags,notes,opted_out_at,created_at');
    expect(row).toMatch(/^'=cmd\|x,'\+14155550101,,,America\/Los_Angeles,,hello,,\d{4}-/);
  });

  it('needs a session', async () => {
    expect((await new HttpClient(server.url).request('/api/contacts/export')).status).toBe(401);
  });
});

describe('POST /api/contacts/import', () => {
  it('accepts a CSV with 202 and the import, then processes it; the history and error report follow', async () => {
    const { client } = await signedIn();
    const response = await upload(client, 'name,phone\nAda,4155550101\nBad,123\n');
    expect(response.status).toBe(202);
    const body = (await response.json()) as { ok: true; data: { import: ContactImportView } };
    expect(body.data.import).toMatchObject({
      fileName: 'contacts.csv',
      totalRows: 2,
      mode: 'skip',
    });
    const done = await finished(client, body.data.import.id);
    expect(done).toMatchObject({ status: 'completed', inserted: 1, invalid: 1, errorCount: 1 });

    const history = await client.request('/api/contacts/imports?limit=5');
    const list = (await history.json()) as { data: { imports: ContactImportView[] } };
    expect(list.data.imports.map((i) => i.id)).toEqual([done.id]);

    const report = await client.request(`/api/contacts/imports/${done.id}/errors.csv`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(report.headers.get('content-disposition')).toBe(
      'attachment; filename="contacts-errors.csv"',
    );
    expect(report.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await report.text()).toMatch(/^line,reason,message,row\r\n3,PHONE_/);
  });

  it('answers 400 with the reason for a file without a phone column', async () => {
    const { client } = await signedIn();
    const response = await upload(client, 'name,email\nAda,ada@example.com\n');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { ok: false; error: { code: string; message: string } };
    expect(body.error).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/phone column/),
    });
  });

  it('answers 413 for a file over the configured size', async () => {
    const { client } = await signedIn();
    const response = await upload(client, `name,phone\n${'Someone,4155550101\n'.repeat(5000)}`);
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses JSON (415), no session (401), and a bad mode (400)', async () => {
    const { client } = await signedIn();
    const json = await client.request('/api/contacts/import', { json: { file: 'name,phone' } });
    expect(json.status).toBe(415);
    const anonymous = new HttpClient(server.url);
    const form = new FormData();
    form.append('file', new Blob(['name,phone\nA,4155550101\n']), 'a.csv');
    expect(
      (await anonymous.request('/api/contacts/import', { method: 'POST', body: form })).status,
    ).toBe(401);
    expect((await upload(client, 'name,phone\nA,4155550101\n', 'merge')).status).toBe(400);
  });

  it("answers 404 for another workspace's import and its report", async () => {
    const mine = await signedIn();
    const theirs = await signedIn();
    const response = await upload(theirs.client, 'name,phone\nX,4155550101\nY,12\n');
    const { data } = (await response.json()) as { data: { import: ContactImportView } };
    await finished(theirs.client, data.import.id);
    expect((await mine.client.request(`/api/contacts/imports/${data.import.id}`)).status).toBe(404);
    expect(
      (await mine.client.request(`/api/contacts/imports/${data.import.id}/errors.csv`)).status,
    ).toBe(404);
    expect((await mine.client.request('/api/contacts/imports/not-a-uuid')).status).toBe(404);
  });

  it('records an upload cut off mid-stream as failed, with nothing imported', async () => {
    const { client } = await signedIn();
    const boundary = 'cutoffboundary';
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nskip\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\nname,phone\r\n${'Someone,4155550101\r\n'.repeat(200)}`;
    const url = new URL(server.url);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/contacts/import HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${server.url}\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${part.length + 10_000}\r\n\r\n${part}`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 200);
      });
      socket.on('error', reject);
    });
    let last: ContactImportView | undefined;
    for (let i = 0; i < 200; i++) {
      const history = await client.request('/api/contacts/imports');
      last = ((await history.json()) as { data: { imports: ContactImportView[] } }).data.imports[0];
      if (last?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(last).toMatchObject({ status: 'failed', fileName: 'cut.csv', inserted: 0 });
    const contacts = await client.request('/api/contacts');
    expect(contacts.status).toBe(200);
    const listed = (await contacts.json()) as { data: { items: unknown[] } };
    expect(listed.data.items).toEqual([]);
  });
});
