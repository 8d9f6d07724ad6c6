import { and, asc, eq, sql } from 'drizzle-orm';
import { setSystemCallLimit as setSystemLimit } from '../../src/lib/calls/concurrency';
import type {
  CallProvider,
  ExecutionSnapshot,
  PlaceCallInput,
  PlaceCallResult,
} from '../../src/lib/calls/providers/types';
import { createCampaign } from '../../src/lib/campaigns/create-campaign';
import type { CreateCampaignInput } from '../../src/lib/campaigns/schemas';
import type { Database } from '../../src/lib/db/client';
import { callQueue, users } from '../../src/lib/db/schema';
import { withTenant } from '../../src/lib/db/tenant';
import type { PublicTenant } from '../../src/lib/tenants/schemas';
import { type ContactOverrides, makeContacts, uniquePhone } from './contacts';
import { makeMember, makeTenant } from './index';

/** A member of `tenant` whose campaigns may have `limit` calls in flight. */
export async function makeCaller(db: Database, tenant: PublicTenant, limit: number) {
  const { user } = await makeMember(db, { tenant, role: 'admin' });
  await db.update(users).set({ concurrentCallsLimit: limit }).where(eq(users.id, user.id));
  return user;
}

export async function setSystemCallLimit(db: Database, limit: number) {
  const result = await setSystemLimit(db, { limit });
  if (!result.ok) throw new Error(result.error.message);
}

export const ALL_DAY = { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 0, endMinute: 1440 };

export async function makeCampaign(
  db: Database,
  tenantId: string,
  userId: string,
  input: Partial<CreateCampaignInput> & Pick<CreateCampaignInput, 'contacts'>,
  now = new Date(),
) {
  const result = await createCampaign(
    { db, tenantId, actor: { type: 'user', userId }, now },
    { name: 'Spring outreach', agentId: 'agent-1', window: ALL_DAY, timezone: 'UTC', ...input },
  );
  if (!result.ok)
    throw new Error(`factory: ${result.error.message} ${JSON.stringify(result.error.fields)}`);
  return result.data;
}

/**
 * What most call tests start from: a fresh tenant, a caller allowed `limit`
 * calls in flight, contacts (a count, each named and with a unique phone, or
 * each one's fields) and a campaign of them all, created at `at`.
 */
export async function makeCallerCampaign(
  db: Database,
  options: {
    contacts?: number | ContactOverrides[];
    limit?: number;
    at?: Date;
    campaign?: Partial<CreateCampaignInput>;
  } = {},
) {
  const tenant = await makeTenant(db);
  const user = await makeCaller(db, tenant, options.limit ?? 1);
  const specs = options.contacts ?? 1;
  const people = await makeContacts(
    db,
    tenant.id,
    typeof specs === 'number'
      ? Array.from({ length: specs }, (_, i) => ({
          name: `Contact ${i}`,
          phoneE164: uniquePhone(),
        }))
      : specs,
  );
  const campaign = await makeCampaign(
    db,
    tenant.id,
    user.id,
    { contacts: { ids: people.map((p) => p.id) }, ...options.campaign },
    options.at,
  );
  return { tenant, user, people, campaign };
}

/** A provider the test drives: records each dial, answers with `next()` (default: accepted). */
export function manualProvider(next?: (input: PlaceCallInput) => PlaceCallResult) {
  const dialled: (PlaceCallInput & { executionId: string })[] = [];
  /** What `GET /executions/{id}` answers per execution: its record, or 'fail' (the lookup errs); none = unknown. */
  const records = new Map<string, ExecutionSnapshot | 'fail'>();
  const lookups: string[] = [];
  let n = 0;
  const run = Math.random().toString(36).slice(2, 8);
  const provider: CallProvider = {
    name: 'simulated',
    async placeCall(input) {
      const answer = next?.(input) ?? { ok: true as const, executionId: `exec-${run}-${++n}` };
      if (answer.ok) dialled.push({ ...input, executionId: answer.executionId });
      return answer;
    },
    async getExecution(executionId) {
      lookups.push(executionId);
      const record = records.get(executionId);
      if (record === 'fail') return { ok: false, message: 'provider unavailable' };
      return { ok: true, execution: record ?? null };
    },
    async findExecutionByRef() {
      return { ok: true, execution: null };
    },
    async stopCall() {
      return { ok: true };
    },
  };
  return { provider, dialled, records, lookups, providerFor: async () => provider };
}

/** Slots in flight per user, straight from the table, and `system`: their sum (what the claim counts). */
export async function slotsInFlight(db: Database): Promise<Record<string, number>> {
  const rows = await db.execute<{ holder: string; in_flight: number }>(
    sql`select holder, in_flight from call_slots`,
  );
  const users = Object.fromEntries(rows.map((r) => [r.holder, Number(r.in_flight)]));
  return { ...users, system: Object.values(users).reduce((a, b) => a + b, 0) };
}

/**
 * Calls and slots are system-wide (the claim spans tenants): tests sharing a
 * database start each scenario from an idle system.
 */
export async function idleCallSystem(db: Database) {
  await db.execute(sql`update call_queue set status = 'cancelled'
    where status in ('queued', 'dispatching', 'in_progress')`);
  await db.execute(sql`delete from call_slots`);
}

/** A campaign's queue rows in id order, read as the tenant. */
export function queueRowsOf(db: Database, tenantId: string, campaignId: string) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(callQueue)
      .where(and(eq(callQueue.tenantId, tenantId), eq(callQueue.campaignId, campaignId)))
      .orderBy(asc(callQueue.id)),
  );
}
