import type { callCampaigns } from '../db/schema';

export type CampaignRow = typeof callCampaigns.$inferSelect;

/** A campaign as the API and the islands see it (dates as ISO strings, no lock columns). */
export function toCampaignView(row: CampaignRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    provider: row.provider,
    agentId: row.agentId,
    fromNumber: row.fromNumber,
    window: {
      days: row.windowDays,
      startMinute: row.windowStartMinute,
      endMinute: row.windowEndMinute,
    },
    timezone: row.timezone,
    useContactTimezone: row.useContactTimezone,
    startAt: row.startAt.toISOString(),
    endAt: row.endAt?.toISOString() ?? null,
    maxAttempts: row.maxAttempts,
    retryDelayMinutes: row.retryDelayMinutes,
    counts: {
      total: row.totalCalls,
      queued: row.queuedCalls,
      active: row.activeCalls,
      completed: row.completedCalls,
      failed: row.failedCalls,
      cancelled: row.cancelledCalls,
      skipped: row.skippedCalls,
    },
    pausedReason: row.pausedReason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
export type CampaignView = ReturnType<typeof toCampaignView>;
