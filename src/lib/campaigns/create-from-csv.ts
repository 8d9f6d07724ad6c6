import type postgres from 'postgres';
import { fail, ok, type Result } from '../api/result';
import { getImport } from '../contacts/imports/get-import';
import type { ImportLimits } from '../contacts/imports/limits';
import { UploadRejected } from '../contacts/imports/scan';
import { startImport } from '../contacts/imports/start-import';
import type { ContactImportView } from '../contacts/types';
import type { Database } from '../db/client';
import type { CampaignView } from './campaign-view';
import { createCampaign } from './create-campaign';
import { CreateCampaignInput } from './schemas';

/**
 * `POST /api/campaigns/upload-csv`: a `campaign` field (the settings, JSON,
 * sent before the file) and a CSV. The settings are checked before a byte of
 * the file is stored; the file goes through the contact import (every row
 * validated, bad ones reported) and the campaign then calls every contact in
 * it — new, updated or already there.
 */
export async function createCampaignFromCsv(
  ctx: {
    db: Database;
    sql: postgres.Sql;
    limits: ImportLimits;
    tenantId: string;
    userId: string;
    now?: Date;
  },
  request: Request,
): Promise<Result<{ campaign: CampaignView; import: ContactImportView }>> {
  let settings: Record<string, unknown> = {};
  const started = await startImport(
    {
      db: ctx.db,
      sql: ctx.sql,
      limits: ctx.limits,
      tenantId: ctx.tenantId,
      userId: ctx.userId,
      touch: true,
      awaitProcessing: true,
      checkFields: (fields) => {
        try {
          settings = JSON.parse(fields.campaign ?? '') as Record<string, unknown>;
        } catch {
          throw new UploadRejected(
            'Send the campaign settings as JSON in a "campaign" field before the file.',
            400,
          );
        }
        const parsed = CreateCampaignInput.safeParse({ ...settings, contacts: { all: true } });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new UploadRejected(
            `Campaign settings: ${issue?.path.join('.')}: ${issue?.message}`,
            400,
          );
        }
      },
    },
    request,
  );
  if (!started.ok) return started;
  const imported = await getImport(ctx.db, ctx.tenantId, started.data.id);
  if (!imported.ok) return imported;
  if (imported.data.status !== 'completed') {
    return fail('VALIDATION', imported.data.errorMessage ?? 'The file could not be imported');
  }
  const campaign = await createCampaign(
    {
      db: ctx.db,
      tenantId: ctx.tenantId,
      actor: { type: 'user', userId: ctx.userId },
      now: ctx.now,
    },
    { ...settings, contacts: { importId: imported.data.id } },
  );
  if (!campaign.ok) return campaign;
  return ok({ campaign: campaign.data, import: imported.data });
}
