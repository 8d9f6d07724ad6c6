/**
 * CRM rows written straight into the normalised tables for one tenant (as the
 * sync would leave them), and the aggregates recomputed from them the way a
 * sync does. Runs on the test's superuser pool, so no tenant context is needed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../src/lib/db/client';
import {
  ctLeads,
  ctNotes,
  ctOpportunities,
  ctSalesCycles,
  ctScheduledActivities,
  tenants,
} from '../../src/lib/db/schema';
import { withTenant } from '../../src/lib/db/tenant';
import {
  DEFAULT_HOT_LIST_RULE,
  type HotListRule,
  recomputeAggregates,
} from '../../src/lib/sync/aggregates';

const id = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const deletedAt = (deleted?: boolean) => (deleted ? new Date() : null);

/** A pipeline in ClientTether order; "New Lead" is the only stage nobody counts as qualified. */
export const STAGES = [
  { name: 'New Lead', likelihood: 0 },
  { name: 'Contacted', likelihood: 10 },
  { name: 'Qualified', likelihood: 30 },
  { name: 'Discovery Day', likelihood: 60 },
  { name: 'Signed', likelihood: 90 },
] as const;

export async function makeSalesCycles(
  db: DbOrTx,
  tenantId: string,
  stages: readonly { name: string; likelihood: number }[] = STAGES,
) {
  await db.insert(ctSalesCycles).values(
    stages.map((s, i) => ({
      tenantId,
      ctId: id('sc'),
      raw: {},
      name: s.name,
      stageOrder: i + 1,
      likelihood: s.likelihood,
      active: '1',
      contactType: '1',
    })),
  );
}

export interface LeadSpec {
  createdAt?: Date | null;
  source?: string | null;
  stage?: string;
  deleted?: boolean;
  firstName?: string;
  lastName?: string;
}

/** Leads; returns their ClientTether ids in order. */
export async function makeLeads(db: DbOrTx, tenantId: string, specs: LeadSpec[]) {
  const rows = specs.map((s) => ({
    tenantId,
    ctId: id('lead'),
    raw: {},
    firstName: s.firstName ?? 'Pat',
    lastName: s.lastName ?? 'Lee',
    stage: s.stage ?? 'New Lead',
    leadSource: s.source === undefined ? 'Website' : s.source,
    contactType: '1',
    ctCreatedAt: s.createdAt === undefined ? new Date() : s.createdAt,
    deletedAt: deletedAt(s.deleted),
  }));
  if (rows.length) await db.insert(ctLeads).values(rows);
  return rows.map((r) => r.ctId);
}

export interface OpportunitySpec {
  stage: string;
  dealSize?: number | null;
  candidate?: string;
  company?: string | null;
  units?: number;
  assignedUser?: string;
  deleted?: boolean;
}

export async function makeOpportunities(db: DbOrTx, tenantId: string, specs: OpportunitySpec[]) {
  const rows = specs.map((s) => ({
    tenantId,
    ctId: id('opp'),
    raw: {},
    candidate: s.candidate ?? 'Sam Candidate',
    company: s.company === undefined ? 'Austin, TX' : s.company,
    stage: s.stage,
    dealSize: s.dealSize === undefined ? 50_000 : s.dealSize,
    units: s.units ?? 1,
    contactType: '1',
    assignedUser: s.assignedUser ?? 'Rep One',
    deletedAt: deletedAt(s.deleted),
  }));
  if (rows.length) await db.insert(ctOpportunities).values(rows);
  return rows.map((r) => r.ctId);
}

export interface NoteSpec {
  text: string;
  author?: string | null;
  notedAt?: Date | null;
  kind?: string;
  clientCtId?: string;
  deleted?: boolean;
}

export async function makeNotes(db: DbOrTx, tenantId: string, specs: NoteSpec[]) {
  const rows = specs.map((s) => ({
    tenantId,
    ctId: id('note'),
    raw: {},
    clientCtId: s.clientCtId ?? null,
    kind: s.kind ?? 'note',
    author: s.author === undefined ? 'Rep One' : s.author,
    contentHtml: `<p>${s.text}</p>`,
    contentText: s.text,
    notedAt: s.notedAt === undefined ? new Date() : s.notedAt,
    deletedAt: deletedAt(s.deleted),
  }));
  if (rows.length) await db.insert(ctNotes).values(rows);
  return rows.map((r) => r.ctId);
}

/** `count` filler notes in one statement (for plans and volume), a minute apart, from `from` backwards. */
export async function makeManyNotes(
  db: DbOrTx,
  tenantId: string,
  count: number,
  from = new Date(),
) {
  await db.execute(sql`insert into ct_notes (tenant_id, ct_id, raw, kind, author, content_html, content_text, noted_at)
    select ${tenantId}, 'bulk-' || g, '{}'::jsonb, 'note', (array['Avery Stone', 'Blake Moss', 'Casey Reed'])[1 + g % 3],
      '', 'Followed up on territory ' || md5(g::text) || ' about the ' || (array['budget', 'timeline', 'financing', 'site visit'])[1 + g % 4],
      ${from.toISOString()}::timestamptz - g * interval '1 minute'
    from generate_series(1, ${count}::int) g`);
}

export interface ActivitySpec {
  startsAt: Date | null;
  endsAt?: Date | null;
  type?: string;
  title?: string;
  contactName?: string;
  description?: string;
  ownerName?: string;
  deleted?: boolean;
}

export async function makeActivities(db: DbOrTx, tenantId: string, specs: ActivitySpec[]) {
  const rows = specs.map((s) => ({
    tenantId,
    ctId: id('event'),
    raw: {},
    contactName: s.contactName ?? 'Pat Lee',
    activityType: s.type ?? 'Call',
    title: s.title ?? 'Follow-up call',
    description: s.description ?? null,
    ownerName: s.ownerName ?? 'Rep One',
    startsAt: s.startsAt,
    endsAt: s.endsAt ?? null,
    deletedAt: deletedAt(s.deleted),
  }));
  if (rows.length) await db.insert(ctScheduledActivities).values(rows);
  return rows.map((r) => r.ctId);
}

/** Recomputes the tenant's aggregates exactly as a sync's last step does. */
export async function refreshAggregates(
  db: DbOrTx,
  tenantId: string,
  options: { rule?: HotListRule; now?: Date } = {},
) {
  const [tenant] = await db
    .select({ timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error('refreshAggregates: unknown tenant');
  const scope = {
    tenantId,
    runId: randomUUID(),
    timezone: tenant.timezone,
    now: options.now ?? new Date(),
  };
  await withTenant(db, tenantId, (tx) =>
    recomputeAggregates(tx, scope, options.rule ?? DEFAULT_HOT_LIST_RULE),
  );
}
