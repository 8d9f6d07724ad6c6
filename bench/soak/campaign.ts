/**
 * The soak's campaign: created through POST /api/campaigns by tenant 0's
 * owner over every contact (the simulated provider, an all-day window, one
 * retry a minute later), for the real worker to dial.
 */
import type { SignedIn } from './browse';
import type { Recorder } from './recorder';

export async function createSoakCampaign(baseUrl: string, owner: SignedIn, recorder: Recorder) {
  const t0 = performance.now();
  const response = await fetch(`${baseUrl}/api/campaigns`, {
    method: 'POST',
    headers: { cookie: owner.cookie, origin: baseUrl, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Soak campaign',
      agentId: 'soak-agent',
      provider: 'simulated',
      window: { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 0, endMinute: 1440 },
      timezone: 'UTC',
      useContactTimezone: false,
      maxAttempts: 2,
      retryDelayMinutes: 1,
      contacts: { all: true },
      start: true,
    }),
  });
  const body = (await response.json()) as { ok: boolean; data?: { id: string }; error?: unknown };
  recorder.record(
    'POST /api/campaigns',
    performance.now() - t0,
    response.status === 201,
    `${response.status}`,
  );
  if (response.status !== 201 || !body.data)
    throw new Error(`campaign creation answered ${response.status}: ${JSON.stringify(body)}`);
  return body.data.id;
}
