import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type CampaignProgress, getCampaignProgress } from '../campaigns/progress';
import { getImport } from '../contacts/imports/get-import';
import type { DbOrTx } from '../db/client';
import { type CampaignStatus, callCampaigns, contactImports, syncRuns } from '../db/schema';
import { withTenant } from '../db/tenant';
import type { LiveEventType } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ImportProgress {
  id: string;
  status: string;
  totalRows: number | null;
  processedRows: number;
  inserted: number;
  updated: number;
  duplicates: number;
  invalid: number;
  errorCount: number;
}

/** What each event sends: the browser re-fetches anything more it needs. */
export interface LiveEventData {
  'campaign.progress': CampaignProgress;
  'campaign.status': { id: string; status: CampaignStatus };
  'import.progress': ImportProgress;
  'sync.finished': { runId: string; status: string; finishedAt: string | null };
}

/**
 * Reads an event's details as the tenant (row-level security and the tenant
 * in every WHERE): a NOTIFY's ids are never trusted further, so another
 * workspace's id, a deleted row or garbage yields null and nothing is sent.
 */
export async function loadEventData(
  db: DbOrTx,
  tenantId: string,
  type: LiveEventType,
  id: string,
): Promise<LiveEventData[LiveEventType] | null> {
  if (!UUID.test(id)) return null;
  switch (type) {
    case 'campaign.progress': {
      const progress = await getCampaignProgress(db, tenantId, id);
      return progress.ok ? progress.data : null;
    }
    case 'campaign.status': {
      const [row] = await withTenant(db, tenantId, (tx) =>
        tx
          .select({ id: callCampaigns.id, status: callCampaigns.status })
          .from(callCampaigns)
          .where(
            and(
              eq(callCampaigns.tenantId, tenantId),
              eq(callCampaigns.id, id),
              isNull(callCampaigns.deletedAt),
            ),
          ),
      );
      return row ?? null;
    }
    case 'import.progress': {
      const found = await getImport(db, tenantId, id);
      return found.ok ? toImportProgress(found.data) : null;
    }
    case 'sync.finished': {
      const [run] = await withTenant(db, tenantId, (tx) =>
        tx
          .select({ id: syncRuns.id, status: syncRuns.status, finishedAt: syncRuns.finishedAt })
          .from(syncRuns)
          .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.id, id))),
      );
      if (!run) return null;
      return {
        runId: run.id,
        status: run.status,
        finishedAt: run.finishedAt?.toISOString() ?? null,
      };
    }
    default: {
      const unreachable: never = type;
      throw new Error(`unknown live event type ${String(unreachable)}`);
    }
  }
}

export function toImportProgress(view: ImportProgress): ImportProgress {
  return {
    id: view.id,
    status: view.status,
    totalRows: view.totalRows,
    processedRows: view.processedRows,
    inserted: view.inserted,
    updated: view.updated,
    duplicates: view.duplicates,
    invalid: view.invalid,
    errorCount: view.errorCount,
  };
}

/** Running campaigns and in-flight imports of the workspace, at most `limit` of each. */
export async function listLiveEntities(db: DbOrTx, tenantId: string, limit: number) {
  return withTenant(db, tenantId, async (tx) => {
    const campaigns = await tx
      .select({ id: callCampaigns.id })
      .from(callCampaigns)
      .where(
        and(
          eq(callCampaigns.tenantId, tenantId),
          eq(callCampaigns.status, 'running'),
          isNull(callCampaigns.deletedAt),
        ),
      )
      .limit(limit);
    const imports = await tx
      .select()
      .from(contactImports)
      .where(
        and(
          eq(contactImports.tenantId, tenantId),
          inArray(contactImports.status, ['pending', 'running']),
        ),
      )
      .limit(limit);
    return { campaignIds: campaigns.map((c) => c.id), imports: imports.map(toImportProgress) };
  });
}
