/**
 * A campaign's analytics (totals by status and outcome, success rate, average
 * talk time, calls per local day) from its roll-up and live counters, and
 * nothing of another tenant's. Real PostgreSQL, a provider stub, webhooks at a
 * fixed clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { getCampaignAnalytics } from '../../../src/lib/campaigns/campaign-analytics';
import { rollupCampaignStats } from '../../../src/lib/campaigns/campaign-stats-rollup';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  setSystemCallLimit,
} from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOON = new Date('2026-06-10T12:00:00Z');

beforeEach(async () => {
  await idleCallSystem(t.db);
  await setSystemCallLimit(t.db, 100);
});

describe('getCampaignAnalytics', () => {
  it('totals the rows by status and outcome, with success rate, talk time and calls per local day', async () => {
    const { tenant, campaign } = await makeCallerCampaign(t.db, {
      contacts: 5,
      limit: 4,
      at: NOON,
      campaign: { timezone: 'America/New_York', maxAttempts: 3 },
    });
    const stub = manualProvider();
    await runDispatchCycle({
      db: t.db,
      sql: t.sql,
      providerFor: stub.providerFor,
      now: () => NOON,
    });
    const [a = '', b = '', c = ''] = stub.dialled.map((d) => d.executionId);
    const post = (id: string, status: string, seconds: number) =>
      recordCallEvent(
        t.db,
        tenant.id,
        'simulated',
        { id, status, conversation_duration: seconds },
        NOON,
      );
    await post(a, 'completed', 30);
    await post(b, 'completed', 90);
    await post(c, 'no-answer', 0);

    expect(await rollupCampaignStats(t.db, tenant.id, campaign.id)).toBe(true);
    const result = await getCampaignAnalytics(t.db, tenant.id, campaign.id);
    expect(result).toEqual({
      ok: true,
      data: {
        byStatus: { completed: 2, queued: 2, in_progress: 1 },
        byOutcome: { completed: 2, no_answer: 1 },
        successRate: 1,
        averageDurationSeconds: 60,
        // Noon UTC is 08:00 in New York: the same local day.
        daily: [{ day: '2026-06-10', dialled: 4, completed: 2 }],
        asOf: expect.any(String),
      },
    });
  });

  it('has live statuses but no figures before its first roll-up', async () => {
    const { tenant, campaign } = await makeCallerCampaign(t.db, { contacts: 3, at: NOON });
    const result = await getCampaignAnalytics(t.db, tenant.id, campaign.id);
    expect(result).toEqual({
      ok: true,
      data: {
        byStatus: { queued: 3 },
        byOutcome: {},
        successRate: null,
        averageDurationSeconds: null,
        daily: [],
        asOf: null,
      },
    });
  });

  it("answers NOT_FOUND for another tenant's campaign and for garbage ids", async () => {
    const { campaign } = await makeCallerCampaign(t.db, { at: NOON });
    const stranger = await makeTenant(t.db);
    for (const id of [campaign.id, 'not-a-uuid']) {
      const result = await getCampaignAnalytics(t.db, stranger.id, id);
      expect(result.ok ? 'found' : result.error.code).toBe('NOT_FOUND');
    }
  });
});
