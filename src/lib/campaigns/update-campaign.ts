import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type Actor, recordAudit } from './audit';
import { type CampaignView, toCampaignView } from './campaign-view';
import { lockCampaign, lockDispatch, UUID } from './internal';
import { rescheduleQueued } from './reschedule-queued';
import { CallingWindowSchema, isValidTimeZone } from './schedule';

export const UpdateCampaignInput = z
  .object({
    name: z.string().trim().min(1, 'Give the campaign a name').max(120),
    agentId: z.string().trim().min(1).max(200),
    fromNumber: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'Use an E.164 number')
      .nullable(),
    window: CallingWindowSchema,
    timezone: z
      .string()
      .refine(isValidTimeZone, 'Unknown time zone; use a name like America/New_York'),
    useContactTimezone: z.boolean(),
    endAt: z.coerce.date().nullable(),
    maxAttempts: z.number().int().min(1).max(10),
    retryDelayMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  })
  .partial()
  .strict();

/**
 * Changes a draft or paused campaign (never one that is calling). A new window
 * or zone takes effect for every waiting call: they are rescheduled from now
 * (paused ones keep waiting until resumed).
 */
export async function updateCampaign(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  input: unknown,
  now = new Date(),
): Promise<Result<CampaignView>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  const parsed = UpdateCampaignInput.safeParse(input);
  if (!parsed.success) {
    const { fields } = fieldErrors(parsed.error, { nested: true, fallback: 'campaign' });
    return fail('VALIDATION', 'Check the campaign settings', { fields });
  }
  const change = parsed.data;
  return withTenant(db, tenantId, async (tx) => {
    await lockDispatch(tx);
    const campaign = await lockCampaign(tx, tenantId, campaignId);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    if (campaign.status !== 'draft' && campaign.status !== 'paused') {
      return fail('CONFLICT', 'Pause the campaign before changing it');
    }
    const [updated] = await tx
      .update(callCampaigns)
      .set({
        name: change.name,
        agentId: change.agentId,
        fromNumber: change.fromNumber,
        windowDays: change.window?.days,
        windowStartMinute: change.window?.startMinute,
        windowEndMinute: change.window?.endMinute,
        timezone: change.timezone,
        useContactTimezone: change.useContactTimezone,
        endAt: change.endAt,
        maxAttempts: change.maxAttempts,
        retryDelayMinutes: change.retryDelayMinutes,
        updatedAt: now,
      })
      .where(and(eq(callCampaigns.tenantId, tenantId), eq(callCampaigns.id, campaignId)))
      .returning();
    if (!updated) throw new Error('campaign vanished while updating');
    if (
      (change.window || change.timezone || change.endAt !== undefined) &&
      updated.status === 'draft'
    ) {
      await rescheduleQueued(tx, updated, updated.startAt > now ? updated.startAt : now);
    }
    await recordAudit(tx, tenantId, campaignId, actor, 'update', { fields: Object.keys(change) });
    return ok(toCampaignView(updated));
  });
}
