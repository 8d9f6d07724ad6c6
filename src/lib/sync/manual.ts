import { fail, ok, type Result } from '../api/result';
import { loadClientTetherCredentials } from './credentials';
import { describeApiError, scrubSecrets } from './errors';
import { runTenantSync, type SyncContext, type SyncOutcome } from './run-tenant-sync';
import { countManualRunsSince } from './runs';

export const MANUAL_SYNC_INTERVAL_MS = 5 * 60 * 1000;

/**
 * "Sync now": at most one manual sync per tenant per five minutes. Returns at
 * once; the run continues in the background (`done`), and its progress shows
 * in the sync status like any other run.
 */
export async function startManualSync(
  ctx: SyncContext,
  tenantId: string,
  now = new Date(),
): Promise<Result<{ done: Promise<SyncOutcome> }>> {
  const since = new Date(now.getTime() - MANUAL_SYNC_INTERVAL_MS);
  const recent = await countManualRunsSince(ctx.db, tenantId, since);
  if (recent.count > 0) {
    const freesAt = (recent.oldest ?? now).getTime() + MANUAL_SYNC_INTERVAL_MS;
    const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000));
    return fail('RATE_LIMITED', 'A sync was started in the last 5 minutes. Try again shortly.', {
      retryAfterSeconds,
    });
  }
  const credentials = await loadClientTetherCredentials(
    ctx.db,
    ctx.secretsKey,
    tenantId,
    ctx.fallbackAccessToken,
  );
  if (!credentials.ok) return fail('PRECONDITION_FAILED', credentials.reason);
  return ok({ done: runTenantSync(ctx, tenantId, { trigger: 'manual' }) });
}

/** One cheap authenticated call with the stored credentials, for Settings' "Test connection". */
export async function testClientTetherConnection(
  ctx: SyncContext,
  tenantId: string,
): Promise<Result<{ users: number }>> {
  const credentials = await loadClientTetherCredentials(
    ctx.db,
    ctx.secretsKey,
    tenantId,
    ctx.fallbackAccessToken,
  );
  if (!credentials.ok) return fail('PRECONDITION_FAILED', credentials.reason);
  const response = await ctx.createClient(credentials).testConnection();
  if (response.ok) return ok(response.data);
  const message = scrubSecrets(describeApiError('the user list', response.error), [
    credentials.webKey,
    credentials.accessToken,
  ]);
  return fail('PRECONDITION_FAILED', message, { retryable: response.error.retryable });
}
