/**
 * The dispatch bench's data, written set-based as the superuser (RLS does not
 * apply): tenants, callers (users with a per-user call limit, members of one
 * tenant each), running campaigns with an all-day UTC window, one contact per
 * queue row and the queue itself (`insert … select generate_series`), with
 * the campaigns' counters matching their rows, then VACUUM ANALYZE and a
 * CHECKPOINT so every run starts from the same state.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';

export interface DispatchSeedOptions {
  tenants: number;
  users: number;
  campaigns: number;
  rows: number;
  userLimit: number;
  systemLimit: number;
}

export interface DispatchSeed {
  userIds: string[];
  /** Queue row id (1-based) → index into userIds. */
  userOfRow: (id: number) => number;
  seconds: number;
}

export async function seedDispatchBench(
  sql: postgres.Sql,
  o: DispatchSeedOptions,
): Promise<DispatchSeed> {
  const started = performance.now();
  const perCampaign = Math.ceil(o.rows / o.campaigns);
  const tenantIds = Array.from({ length: o.tenants }, () => randomUUID());
  const userIds = Array.from({ length: o.users }, () => randomUUID());
  const campaignIds = Array.from({ length: o.campaigns }, () => randomUUID());
  // Campaign c belongs to user c % users; user u to tenant u % tenants.
  const userOfCampaign = (c: number) => c % o.users;

  await sql.begin(async (tx) => {
    await tx`
      insert into tenants (id, name, slug)
      select t.id, 'Dispatch bench ' || t.i, 'dispatch-bench-' || t.i
      from unnest(${tenantIds}::uuid[]) with ordinality as t(id, i)`;
    await tx`
      insert into users (id, email, name, password_hash, concurrent_calls_limit)
      select u.id, 'caller' || u.i || '@dispatch-bench.test', 'Caller ' || u.i, 'not-a-hash',
             ${o.userLimit}
      from unnest(${userIds}::uuid[]) with ordinality as u(id, i)`;
    await tx`
      create temp table bench_users on commit drop as
      select u.i - 1 as i, u.id, (${tenantIds}::uuid[])[((u.i - 1) % ${o.tenants}) + 1] as tenant_id
      from unnest(${userIds}::uuid[]) with ordinality as u(id, i)`;
    await tx`
      insert into memberships (tenant_id, user_id, role)
      select tenant_id, id, 'admin' from bench_users`;
    await tx`
      create temp table bench_campaigns on commit drop as
      select k.i - 1 as i, k.id, u.id as user_id, u.tenant_id
      from unnest(${campaignIds}::uuid[]) with ordinality as k(id, i)
      join bench_users u on u.i = (k.i - 1) % ${o.users}`;
    await tx`create unique index on bench_campaigns (i)`;
    await tx`analyze bench_campaigns`;
    await tx`
      insert into call_campaigns (tenant_id, id, name, status, provider, agent_id, window_days,
        window_start_minute, window_end_minute, timezone, use_contact_timezone, start_at,
        max_attempts, retry_delay_minutes, created_by, total_calls, queued_calls, started_at,
        created_at)
      select k.tenant_id, k.id, 'Bench campaign ' || k.i, 'running', 'simulated', 'agent-bench',
             '{0,1,2,3,4,5,6}', 0, 1440, 'UTC', false, now() - interval '3 hours', 3, 60, k.user_id,
             q.n, q.n, now() - interval '3 hours', now() - interval '3 hours'
      from bench_campaigns k
      cross join lateral (
        select greatest(0, least(${perCampaign}, ${o.rows} - k.i * ${perCampaign}))::int as n
      ) q`;
    // One contact per queue row: the dialler checks the contact (deleted, opted out) before calling.
    await tx`
      insert into contacts (tenant_id, id, name, phone_e164, phone_raw, timezone)
      overriding system value
      select k.tenant_id, g + 1,
             case when g % 4 = 0 then '' else 'Contact ' || g end,
             '+1' || (2000000000 + g)::text, (2000000000 + g)::text, 'UTC'
      from generate_series(0, ${o.rows - 1}) g
      join bench_campaigns k on k.i = g / ${perCampaign}`;
    await tx`select setval('contacts_id_seq', ${o.rows})`;
    // Due over the past two hours, priorities mixed (named 100, unnamed 0, plus a
    // CSV priority on every tenth), the campaigns' rows interleaved in time.
    await tx`
      insert into call_queue (id, tenant_id, campaign_id, contact_id, user_id, phone_e164,
        contact_name, timezone, priority, scheduled_at, status, created_at, updated_at)
      overriding system value
      select g + 1, k.tenant_id, k.id, g + 1, k.user_id, '+1' || (2000000000 + g)::text,
             case when g % 4 = 0 then '' else 'Contact ' || g end, 'UTC',
             (case when g % 4 = 0 then 0 else 100 end) + (case when g % 10 = 0 then 5 else 0 end),
             now() - interval '2 hours' + ((g::bigint * 7919) % 7200) * interval '1 second',
             'queued', now() - interval '3 hours', now() - interval '3 hours'
      from generate_series(0, ${o.rows - 1}) g
      join bench_campaigns k on k.i = g / ${perCampaign}`;
    await tx`select setval('call_queue_id_seq', ${o.rows})`;
    await tx`
      insert into system_settings (key, value) values ('call_concurrency_limit', to_jsonb(${o.systemLimit}::int))
      on conflict (key) do update set value = excluded.value, updated_at = now()`;
    await tx`delete from call_slots`;
  });
  await sql.unsafe('vacuum analyze');
  await sql.unsafe('checkpoint');
  return {
    userIds,
    userOfRow: (id: number) => userOfCampaign(Math.floor((id - 1) / perCampaign)),
    seconds: (performance.now() - started) / 1000,
  };
}
