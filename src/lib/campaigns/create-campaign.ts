import { and, eq, type SQL, sql } from 'drizzle-orm';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type Actor, recordAudit } from './audit';
import { type CampaignView, toCampaignView } from './campaign-view';
import { CAMPAIGNS_PER_MINUTE, creationWaitSeconds } from './creation-limit';
import { enqueueContacts } from './enqueue';
import { type ContactSelection, CreateCampaignInput } from './schemas';

export interface CampaignContext {
  db: DbOrTx;
  tenantId: string;
  actor: Actor & { type: 'user' };
  now?: Date;
}

/**
 * Creates a campaign and its whole queue in one transaction: one row per
 * selected contact, ordered by priority (named contacts first, plus the CSV's
 * `priority` column), each scheduled at its first instant inside the calling
 * window in its zone. Opted-out contacts are kept as `skipped` rows, with the
 * reason, so the campaign accounts for everyone it was given.
 */
export async function createCampaign(
  ctx: CampaignContext,
  input: unknown,
): Promise<Result<CampaignView>> {
  const parsed = CreateCampaignInput.safeParse(input);
  if (!parsed.success) {
    const { fields } = fieldErrors(parsed.error, { nested: true, fallback: 'campaign' });
    return fail('VALIDATION', 'Check the campaign settings', { fields });
  }
  const settings = parsed.data;
  const now = ctx.now ?? new Date();
  const startAt = settings.startAt && settings.startAt > now ? settings.startAt : now;
  const created = withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const wait = await creationWaitSeconds(tx, ctx.tenantId, ctx.actor.userId, now);
    if (wait > 0) throw new RateLimited(wait);
    const [campaign] = await tx
      .insert(callCampaigns)
      .values({
        tenantId: ctx.tenantId,
        name: settings.name,
        status: !settings.start ? 'draft' : startAt > now ? 'scheduled' : 'running',
        provider: settings.provider,
        agentId: settings.agentId,
        fromNumber: settings.fromNumber,
        windowDays: settings.window.days,
        windowStartMinute: settings.window.startMinute,
        windowEndMinute: settings.window.endMinute,
        timezone: settings.timezone,
        useContactTimezone: settings.useContactTimezone,
        startAt,
        endAt: settings.endAt,
        maxAttempts: settings.maxAttempts,
        retryDelayMinutes: settings.retryDelayMinutes,
        createdBy: ctx.actor.userId,
        createdAt: now,
        startedAt: settings.start && startAt <= now ? now : null,
      })
      .returning();
    if (!campaign) throw new Error('campaign was not created');
    const counts = await enqueueContacts(tx, campaign, selectionSql(settings.contacts), startAt);
    if (counts.total === 0) throw new NothingToCall(); // no campaign either: roll back
    const [updated] = await tx
      .update(callCampaigns)
      .set({
        totalCalls: counts.total,
        queuedCalls: counts.queued,
        skippedCalls: counts.skipped,
        // Everyone was skipped (opted out, no window before the end): nothing left to call.
        ...(counts.queued === 0 && campaign.status !== 'draft'
          ? { status: 'completed' as const, finishedAt: now }
          : {}),
      })
      .where(and(eq(callCampaigns.tenantId, ctx.tenantId), eq(callCampaigns.id, campaign.id)))
      .returning();
    await recordAudit(tx, ctx.tenantId, campaign.id, ctx.actor, 'create', {
      contacts: counts.total,
      skipped: counts.skipped,
    });
    if (!updated) throw new Error('campaign vanished while being created');
    return toCampaignView(updated);
  });
  try {
    return ok(await created);
  } catch (error) {
    if (error instanceof RateLimited) {
      return fail(
        'RATE_LIMITED',
        `You can create ${CAMPAIGNS_PER_MINUTE} campaigns a minute; try again shortly`,
        {
          retryAfterSeconds: error.seconds,
        },
      );
    }
    if (!(error instanceof NothingToCall)) throw error;
    return fail('VALIDATION', 'None of the chosen contacts are in this workspace', {
      fields: { contacts: 'Choose at least one contact' },
    });
  }
}

class NothingToCall extends Error {}
class RateLimited extends Error {
  constructor(readonly seconds: number) {
    super('rate limited');
  }
}

function selectionSql(selection: ContactSelection): SQL {
  if ('ids' in selection) {
    return sql`c.id = any(string_to_array(${selection.ids.join(',')}, ',')::bigint[])`;
  }
  if ('tag' in selection) return sql`${selection.tag} = any(c.tags)`;
  if ('importId' in selection) return sql`c.last_import_id = ${selection.importId}::uuid`;
  return sql`true`;
}
