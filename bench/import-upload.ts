/** A contacts CSV through the real upload endpoint, then its progress polled until it ends. */
import { openAsBlob } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export type ImportView = Record<string, number | string | null>;

export interface ImportRun {
  id: string;
  /** Seconds from the first byte sent to the 202. */
  acceptedAfter: number;
  /** Seconds from the first byte sent to the final status. */
  seconds: number;
  view: ImportView;
}

/**
 * POSTs `file` to /api/contacts/import (`headers` carry the session cookie and
 * the origin) and polls GET /api/contacts/imports/:id every `pollMs` until
 * it completes or fails; `onRequest` hears about each request (route, status, ms).
 */
export async function importCsv(
  baseUrl: string,
  headers: Record<string, string>,
  file: string,
  options: {
    mode?: 'skip' | 'update';
    pollMs?: number;
    onRequest?: (route: string, status: number, ms: number) => void;
  } = {},
): Promise<ImportRun> {
  const timed = async (route: string, url: string, init: RequestInit) => {
    const t0 = performance.now();
    const response = await fetch(url, { ...init, headers });
    const body = (await response.json()) as { ok: boolean; data?: unknown; error?: unknown };
    options.onRequest?.(route, response.status, performance.now() - t0);
    return { status: response.status, body };
  };
  const form = new FormData();
  form.append('mode', options.mode ?? 'skip');
  form.append('file', await openAsBlob(file, { type: 'text/csv' }), 'contacts.csv');
  const started = performance.now();
  const upload = await timed('POST /api/contacts/import', `${baseUrl}/api/contacts/import`, {
    method: 'POST',
    body: form,
  });
  const data = upload.body.data as { import: { id: string } } | undefined;
  if (upload.status !== 202 || !data)
    throw new Error(`upload answered ${upload.status}: ${JSON.stringify(upload.body)}`);
  const acceptedAfter = (performance.now() - started) / 1000;
  const id = data.import.id;
  for (;;) {
    const poll = await timed(
      'GET /api/contacts/imports/:id',
      `${baseUrl}/api/contacts/imports/${id}`,
      {},
    );
    const view = (poll.body.data as { import: ImportView } | undefined)?.import;
    if (poll.status !== 200 || !view) throw new Error(`import poll answered ${poll.status}`);
    if (view.status === 'completed' || view.status === 'failed')
      return { id, acceptedAfter, seconds: (performance.now() - started) / 1000, view };
    await sleep(options.pollMs ?? 100);
  }
}
