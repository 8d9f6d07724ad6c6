import { eq } from 'drizzle-orm';
import type postgres from 'postgres';
import type { ClientTetherClient, ClientTetherCredentials } from '../clienttether/client';
import type { Database } from '../db/client';
import { type SyncTrigger, tenants } from '../db/schema';
import { withTenant } from '../db/tenant';
import { emitLiveEvent } from '../events/emit';
import { processLogger } from '../log';
import { recomputeAggregates } from './aggregates';
import { loadClientTetherCredentials } from './credentials';
import { failureMessage, SyncError, SyncInterrupted, stopIfAborted } from './errors';
import { fetchIntoSnapshots } from './fetch';
import { readHotListRule } from './hot-list-rule';
import { withTenantSyncLock } from './lock';
import { markDeleted, recordNotesFetched } from './mark-deleted';
import type { RunScope } from './normalize';
import { upsertLeads, upsertOpportunities, upsertSalesCycles, upsertUsers } from './normalize';
import { upsertActivities, upsertHistoryNotes, upsertWhiteboards } from './normalize-activity';
import {
  closeInterruptedRuns,
  closeRun,
  INTERRUPTED_MESSAGE,
  openRun,
  recordSkippedRun,
  type SyncRun,
} from './runs';

export interface SyncContext {
  db: Database;
  /** The pool's driver handle, for the session-level lock (see lock.ts). */
  sql: postgres.Sql;
  secretsKey: string | undefined;
  fallbackAccessToken?: string;
  /** `signal` aborts the client's requests in flight (the context's own signal, when it has one). */
  createClient: (credentials: ClientTetherCredentials, signal?: AbortSignal) => ClientTetherClient;
  notesPerRun?: number;
  /**
   * A stopping worker: the sync winds down at its next step (between pages, between
   * normalising statements), rolls back what it had not committed, and closes its run as
   * interrupted, so that the tick's next runner syncs the tenant again.
   */
  signal?: AbortSignal;
}

export type SyncOutcome =
  | { status: 'success'; run: SyncRun; recordsFetched: number; recordsUpdated: number }
  | { status: 'failed'; run: SyncRun; error: string }
  | { status: 'skipped'; run: SyncRun }
  /** Called off by ctx.signal: the run is closed as interrupted, the previous data left as it was. */
  | { status: 'interrupted'; run: SyncRun };

const DAY = 86_400_000;

export const DEACTIVATED_SKIP_MESSAGE = 'This workspace is deactivated, so it is not synced.';

/**
 * Syncs one tenant: run row → fetch every resource into raw snapshots →
 * one transaction that normalises, marks deletions and recomputes the
 * aggregates → run closed with counts. A failure anywhere leaves the previous
 * data exactly as it was and the run `failed` with a secret-free message; so
 * does a stop (ctx.signal), the run then closed as interrupted, not logged.
 */
export async function runTenantSync(
  ctx: SyncContext,
  tenantId: string,
  options: { trigger: SyncTrigger; now?: () => Date } = { trigger: 'scheduled' },
): Promise<SyncOutcome> {
  const now = options.now ?? (() => new Date());
  const locked = await withTenantSyncLock(ctx.sql, tenantId, () =>
    syncLocked(ctx, tenantId, options.trigger, now),
  );
  if (locked.acquired) {
    await announceFinished(ctx.sql, tenantId, locked.value.run.id);
    return locked.value;
  }
  return {
    status: 'skipped',
    run: await recordSkippedRun(ctx.db, tenantId, options.trigger, now()),
  };
}

/** Live views (Settings, dashboards) hear that the run ended; a failed NOTIFY never fails the sync. */
async function announceFinished(sql: postgres.Sql, tenantId: string, runId: string) {
  try {
    await emitLiveEvent(sql, { tenantId, type: 'sync.finished', id: runId });
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'non-Error thrown';
    processLogger().error(
      { scope: 'sync', tenantId, runId, detail },
      'could not announce the end of the run',
    );
  }
}

async function syncLocked(
  ctx: SyncContext,
  tenantId: string,
  trigger: SyncTrigger,
  now: () => Date,
): Promise<SyncOutcome> {
  const [tenant] = await ctx.db
    .select({ timezone: tenants.timezone, deactivatedAt: tenants.deactivatedAt })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error('runTenantSync: unknown tenant');
  // Under the lock, a run still `running` is a dead process's: left open, it would
  // block every sync of this tenant (one running run per tenant) until a worker restart.
  await closeInterruptedRuns(ctx.db, tenantId, now());
  // Re-checked under the lock: a tenant deactivated after the hourly job listed it is not synced.
  if (tenant.deactivatedAt) {
    return {
      status: 'skipped',
      run: await recordSkippedRun(ctx.db, tenantId, trigger, now(), DEACTIVATED_SKIP_MESSAGE),
    };
  }
  const run = await openRun(ctx.db, tenantId, trigger, now());
  const credentials = await loadClientTetherCredentials(
    ctx.db,
    ctx.secretsKey,
    tenantId,
    ctx.fallbackAccessToken,
  );
  const secrets = credentials.ok ? [credentials.webKey, credentials.accessToken] : [];
  let recordsFetched = 0;
  try {
    if (!credentials.ok) throw new SyncError(credentials.reason, false);
    const started = now();
    const eventWindow = {
      from: new Date(started.getTime() - 30 * DAY),
      to: new Date(started.getTime() + 90 * DAY),
    };
    recordsFetched = await fetchIntoSnapshots({
      db: ctx.db,
      tenantId,
      runId: run.id,
      timezone: tenant.timezone,
      client: ctx.createClient(credentials, ctx.signal),
      eventWindow,
      notesPerRun: ctx.notesPerRun ?? 250,
      signal: ctx.signal,
    });
    const scope: RunScope = { tenantId, runId: run.id, timezone: tenant.timezone, now: now() };
    // All or nothing: a stop between two statements throws, and the transaction rolls back.
    const recordsUpdated = await withTenant(ctx.db, tenantId, async (tx) => {
      const steps = [
        upsertSalesCycles,
        upsertUsers,
        upsertLeads,
        upsertOpportunities,
        upsertActivities,
        upsertWhiteboards,
        upsertHistoryNotes,
      ];
      let written = 0;
      for (const step of steps) {
        stopIfAborted(ctx.signal);
        written += await step(tx, scope);
      }
      stopIfAborted(ctx.signal);
      written += await markDeleted(tx, scope, eventWindow);
      await recordNotesFetched(tx, scope);
      stopIfAborted(ctx.signal);
      await recomputeAggregates(tx, scope, await readHotListRule(tx, tenantId));
      return written;
    });
    const closed = await closeRun(
      ctx.db,
      tenantId,
      run.id,
      { status: 'success', recordsFetched, recordsUpdated },
      now(),
    );
    return { status: 'success', run: closed, recordsFetched, recordsUpdated };
  } catch (error) {
    // After the signal, any error is the stop's doing (e.g. a request cut off mid-body).
    if (error instanceof SyncInterrupted || ctx.signal?.aborted) {
      const closed = await closeRun(
        ctx.db,
        tenantId,
        run.id,
        { status: 'failed', recordsFetched, errorMessage: INTERRUPTED_MESSAGE },
        now(),
      );
      return { status: 'interrupted', run: closed };
    }
    const message = failureMessage(error, secrets);
    if (!(error instanceof SyncError)) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : 'non-Error thrown';
      // The stack goes through the same scrubbing as the stored message: it may quote a key.
      processLogger().error(
        {
          scope: 'sync',
          tenantId,
          runId: run.id,
          detail: failureMessage(new SyncError(detail, false), secrets),
        },
        'sync failed unexpectedly',
      );
    }
    const closed = await closeRun(
      ctx.db,
      tenantId,
      run.id,
      { status: 'failed', recordsFetched, errorMessage: message },
      now(),
    );
    return { status: 'failed', run: closed, error: message };
  }
}
