/** With WEBHOOK_IP_ALLOWLIST set, call webhooks from any other address are refused before anything is read. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { issueWebhookToken } from '../../src/lib/calls/webhook-token';
import { makeTenant } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url, { WEBHOOK_IP_ALLOWLIST: '13.203.39.153, 13.126.9.249' });

describe('webhook IP allowlist', () => {
  it('refuses a request from an address not on the list (403), even with the right token', async () => {
    const tenant = await makeTenant(t.db);
    const token = await issueWebhookToken(t.db, tenant.id);
    const response = await fetch(`${server.url}/api/webhooks/calls/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'exec-1', status: 'completed' }),
    });
    expect(response.status).toBe(403);
    const rows = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from call_events`);
    expect(rows[0]?.n).toBe(0);
  });
});
