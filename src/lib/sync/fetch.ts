import { sql } from 'drizzle-orm';
import type { ApiResponse, ClientTetherClient, Page } from '../clienttether/client';
import type { DbOrTx } from '../db/client';
import { ctRawSnapshots } from '../db/schema';
import { withTenant } from '../db/tenant';
import { formatCtDateTime } from './ct-time';
import { describeApiError, SyncError, SyncInterrupted, stopIfAborted } from './errors';

export interface FetchScope {
  db: DbOrTx;
  tenantId: string;
  runId: string;
  timezone: string;
  client: ClientTetherClient;
  eventWindow: { from: Date; to: Date };
  /** At most this many leads get their history notes re-read per run; the rest follow next run. */
  notesPerRun: number;
  /** A stopping worker: no request or page is started after it fires (the client aborts its own). */
  signal?: AbortSignal;
}

const NOTES_IN_FLIGHT = 4;

function unwrap<T>(resource: string, response: ApiResponse<T>): { data: T; total: number } {
  if (!response.ok && response.error.kind === 'aborted') throw new SyncInterrupted();
  if (!response.ok)
    throw new SyncError(describeApiError(resource, response.error), response.error.retryable);
  return response;
}

async function store(scope: FetchScope, resource: string, page: number, raw: unknown) {
  stopIfAborted(scope.signal);
  await withTenant(scope.db, scope.tenantId, (tx) =>
    tx
      .insert(ctRawSnapshots)
      .values({ tenantId: scope.tenantId, runId: scope.runId, resource, page, raw }),
  );
}

async function storePages<T>(
  scope: FetchScope,
  resource: string,
  pages: AsyncGenerator<ApiResponse<Page<T>>>,
) {
  let fetched = 0;
  for await (const response of pages) {
    const { data } = unwrap(resource, response);
    await store(scope, resource, data.page, data.raw);
    fetched += data.records.length;
  }
  return fetched;
}

/**
 * Phase one of a sync: read everything from ClientTether and store each page
 * raw, as it arrives (memory stays flat however big the tenant). Any failure
 * throws a SyncError (SyncInterrupted when the signal fired) and nothing has
 * been normalised yet: the pages stored are this run's alone.
 */
export async function fetchIntoSnapshots(scope: FetchScope): Promise<number> {
  const { client } = scope;
  let fetched = 0;
  const lookups: Array<[string, () => Promise<ApiResponse<unknown[]>>]> = [
    ['sales_cycles', () => client.readSalesCycleList()],
    ['lead_sources', () => client.readLeadSourceList()],
    ['users', () => client.readUserList()],
  ];
  for (const [resource, read] of lookups) {
    stopIfAborted(scope.signal);
    const { data } = unwrap(resource, await read());
    await store(scope, resource, 0, { data });
    fetched += data.length;
  }
  fetched += await storePages(scope, 'clients', client.pages('clients'));
  fetched += await storePages(scope, 'opportunities', client.pages('opportunities'));
  fetched += await storePages(
    scope,
    'events',
    client.pages('events', {
      fromDate: formatCtDateTime(scope.eventWindow.from, scope.timezone),
      endDate: formatCtDateTime(scope.eventWindow.to, scope.timezone),
    }),
  );
  fetched += await fetchHistoryNotes(scope);
  return fetched;
}

/** Leads new or changed since their notes were last read, newest changes first. */
async function leadsNeedingNotes(scope: FetchScope) {
  return withTenant(scope.db, scope.tenantId, (tx) =>
    tx.execute<{ client_id: string; modified: string }>(sql`
      select distinct on (c.client_id) c.client_id, c.modified
      from (select d->>'client_id' as client_id, coalesce(d->>'last_modified_date', '') as modified
            from ct_raw_snapshots s cross join lateral jsonb_array_elements(s.raw->'data') d
            where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = 'clients'
              and jsonb_typeof(s.raw->'data') = 'array' and coalesce(d->>'client_id', '') <> ''
            offset 0) c
      left join ct_leads l on l.tenant_id = ${scope.tenantId} and l.ct_id = c.client_id
      where l.notes_fetched_for is distinct from c.modified
      order by c.client_id`),
  ).then((rows) =>
    [...rows].sort((a, b) => b.modified.localeCompare(a.modified)).slice(0, scope.notesPerRun),
  );
}

async function fetchHistoryNotes(scope: FetchScope) {
  const leads = await leadsNeedingNotes(scope);
  let fetched = 0;
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (next < leads.length && !failed) {
      stopIfAborted(scope.signal);
      const index = next++;
      const lead = leads[index] as { client_id: string; modified: string };
      const { data } = unwrap(
        'history notes',
        await scope.client.readClientHistoryNotes(lead.client_id),
      );
      await store(scope, 'notes', index, {
        client_id: lead.client_id,
        last_modified_date: lead.modified,
        data,
      });
      fetched += data.length;
    }
  };
  // Each worker's failure is caught, so this waits for all of them: the run is closed (and a
  // stopping worker's pool ended) only once no sibling is still writing a page.
  await Promise.all(
    Array.from({ length: Math.min(NOTES_IN_FLIGHT, leads.length) }, () =>
      worker().catch((error: unknown) => {
        failed ??= { error };
      }),
    ),
  );
  if (failed) throw failed.error;
  return fetched;
}
