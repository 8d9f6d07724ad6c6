import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collect, envelope, type SeenRequest, serve, testClient } from './client-server';

const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ client_id: String(i + 1) }));

interface Paging {
  /** Largest page the server sends, whatever limit was asked for; one per request, cycling. */
  sizes?: number[];
  /** What TotalRecord says; 'omit' leaves it out. */
  total?: number | string | 'omit';
}

/** A list server honouring offset, capping pages at `sizes`. */
function pagedReply(rows: unknown[], paging: Paging = {}) {
  return (request: SeenRequest, index: number) => {
    const offset = Number(request.query.get('offset'));
    const limit = Number(request.query.get('limit'));
    const sizes = paging.sizes ?? [limit];
    const size = sizes[index % sizes.length] ?? limit;
    const data = rows.slice(offset, offset + size);
    if (paging.total === 'omit') return { body: { ResultCode: 'CT_200', data } };
    return { body: envelope(data, paging.total ?? rows.length) };
  };
}

const offsets = (requests: SeenRequest[]) => requests.map((r) => Number(r.query.get('offset')));

async function pageIds(url: string) {
  const pages = await collect(testClient(url).client.pages('clients'));
  return pages.flatMap((page) => (page.ok ? page.data.records.map((r) => r.client_id) : ['error']));
}

describe('ClientTether client: paging', () => {
  it('reads 250 rows as three pages of limit 100 at offsets 0, 100, 200', async () => {
    const server = await serve(pagedReply(rowsOf(250)));
    const pages = await collect(testClient(server.url).client.pages('clients'));
    expect(
      pages.map((p) => (p.ok ? [p.data.page, p.data.offset, p.data.records.length] : [])),
    ).toEqual([
      [0, 0, 100],
      [1, 100, 100],
      [2, 200, 50],
    ]);
    expect(pages.every((p) => p.ok && p.total === 250 && p.data.total === 250)).toBe(true);
    expect(offsets(server.requests)).toEqual([0, 100, 200]);
    expect(server.requests.every((r) => r.query.get('limit') === '100')).toBe(true);
  });

  it('stops once the offset reaches TotalRecord, without asking for an empty page', async () => {
    const server = await serve(pagedReply(rowsOf(200), { total: '200' }));
    expect(await pageIds(server.url)).toHaveLength(200);
    expect(offsets(server.requests)).toEqual([0, 100]);
  });

  it('stops on a short page when TotalRecord is missing', async () => {
    const server = await serve(pagedReply(rowsOf(230), { total: 'omit' }));
    expect(await pageIds(server.url)).toHaveLength(230);
    expect(offsets(server.requests)).toEqual([0, 100, 200]);
  });

  it('stops on an empty page when TotalRecord is missing and the last page was full', async () => {
    const server = await serve(pagedReply(rowsOf(200), { total: 'omit' }));
    expect(await pageIds(server.url)).toHaveLength(200);
    expect(offsets(server.requests)).toEqual([0, 100, 200]);
  });

  it('stops on an empty page when TotalRecord overstates the rows', async () => {
    const server = await serve(pagedReply(rowsOf(250), { total: 300 }));
    expect(await pageIds(server.url)).toHaveLength(250);
    expect(offsets(server.requests)).toEqual([0, 100, 200, 250]);
  });

  it('neither repeats nor skips rows when the server sends more than the limit', async () => {
    const rows = rowsOf(250);
    const server = await serve(pagedReply(rows, { sizes: [150] }));
    expect(await pageIds(server.url)).toEqual(rows.map((r) => r.client_id));
    expect(offsets(server.requests)).toEqual([0, 150]);
  });

  it('yields the pages read so far, then one error, and stops', async () => {
    const ok = pagedReply(rowsOf(250));
    const server = await serve((request, index) =>
      index === 1 ? { status: 401 } : ok(request, index),
    );
    const pages = await collect(testClient(server.url).client.pages('opportunities'));
    expect(pages.map((p) => p.ok)).toEqual([true, false]);
    expect(pages[1]).toMatchObject({
      ok: false,
      error: { kind: 'auth', endpoint: 'read_opportunity_list' },
    });
    expect(server.requests).toHaveLength(2);
  });

  it('pages events with the date window on every request', async () => {
    const events = Array.from({ length: 120 }, (_, i) => ({ event_id: String(i) }));
    const server = await serve((request, index) => {
      const reply = pagedReply(events)(request, index);
      return request.path.endsWith('/read_all_events') ? reply : { status: 404 };
    });
    const window = {
      fromDate: '2026-02-01 00:00:00',
      endDate: '2026-02-28 23:59:59',
      eventType: 'appt',
    };
    const pages = await collect(testClient(server.url).client.pages('events', window));
    expect(pages.map((p) => (p.ok ? p.data.records.length : -1))).toEqual([100, 20]);
    for (const { query } of server.requests) {
      expect(query.get('from_date')).toBe(window.fromDate);
      expect(query.get('end_date')).toBe(window.endDate);
      expect(query.get('event_type')).toBe('appt');
    }
  });

  it('counts a malformed record in its page and keeps the body as raw', async () => {
    const body = envelope([
      { client_id: '1' },
      { client_id: '' },
      { client_id: '3', extra: 'kept' },
    ]);
    const server = await serve(() => ({ body }));
    const [page] = await collect(testClient(server.url).client.pages('clients'));
    expect(page).toMatchObject({ ok: true, invalid: 1, data: { invalid: 1, raw: body } });
    expect(page?.ok && page.data.records).toEqual([
      { client_id: '1', deal_size: null },
      { client_id: '3', deal_size: null, extra: 'kept' },
    ]);
  });

  it('yields every record exactly once, in order, for any list size and page sizes', async () => {
    const state = { rows: [] as unknown[], paging: {} as Paging };
    const server = await serve((request, index) =>
      pagedReply(state.rows, state.paging)(request, index),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 450 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (n, sizes, totalAsString) => {
          state.rows = rowsOf(n);
          state.paging = { sizes, total: totalAsString ? String(n) : n };
          server.requests.length = 0;
          const ids = await pageIds(server.url);
          expect(ids).toEqual(rowsOf(n).map((r) => r.client_id));
        },
      ),
      { numRuns: 60 },
    );
  });
});
