import type postgres from 'postgres';
import type { ImportMode } from '../../db/schema';

/**
 * Moves one staged chunk (temp table `import_rows`) into `contacts` with a
 * single statement on the (tenant_id, phone_e164) unique index. A phone seen
 * twice counts once: in skip mode the first row wins, in update mode the last.
 *
 * - skip: new phones are inserted, existing contacts are left alone.
 * - update: existing contacts take the file's non-empty values; the
 *   `IS DISTINCT FROM` guard leaves unchanged rows unwritten (no WAL, no bloat).
 *   Opt-outs are never cleared. `last_import_id` tells a phone repeated in
 *   this file (a duplicate) from a contact that existed before (an update).
 *
 * Imports of one tenant merge one at a time (transaction advisory lock), so
 * two files sharing phones cannot deadlock on each other's rows.
 */
export async function mergeChunk(
  tx: postgres.TransactionSql,
  input: { tenantId: string; importId: string; mode: ImportMode; touch?: boolean },
): Promise<{ inserted: number; updated: number }> {
  const { tenantId, importId } = input;
  await tx`select pg_advisory_xact_lock(hashtext('contacts-import'), hashtext(${tenantId}))`;
  const merged = await mergeRows(tx, input);
  if (input.touch) {
    // A campaign upload calls every contact in its file, including those that
    // existed unchanged: mark them too, after counting (a later chunk then
    // sees a repeat of them as the duplicate it is).
    await tx`
      update contacts c set last_import_id = ${importId}
      from (select distinct phone_e164 from import_rows) r
      where c.tenant_id = ${tenantId} and c.phone_e164 = r.phone_e164
        and c.last_import_id is distinct from ${importId}::uuid`;
  }
  return merged;
}

async function mergeRows(
  tx: postgres.TransactionSql,
  input: { tenantId: string; importId: string; mode: ImportMode },
): Promise<{ inserted: number; updated: number }> {
  const { tenantId, importId } = input;
  if (input.mode === 'skip') {
    const [row] = await tx<{ inserted: number }[]>`
      with ins as (
        insert into contacts (tenant_id, name, phone_e164, phone_raw, email, company, timezone,
                              tags, attributes, source, last_import_id)
        select ${tenantId}, name, phone_e164, phone_raw, email, company,
               coalesce(timezone, inferred_timezone), coalesce(tags, '{}'), attributes,
               'import', ${importId}
        from import_rows
        on conflict (tenant_id, phone_e164) do nothing
        returning 1
      )
      select count(*)::int as inserted from ins`;
    return { inserted: row?.inserted ?? 0, updated: 0 };
  }
  // One statement, one snapshot: `prior` and the NOT EXISTS see the table as
  // it was before this chunk, so each staged phone is either updated or inserted.
  const [row] = await tx<{ inserted: number; updated: number }[]>`
    with src as (
      select distinct on (phone_e164) * from import_rows order by phone_e164, line desc
    ), prior as (
      select c.phone_e164, c.last_import_id is not distinct from ${importId}::uuid as repeated
      from src join contacts c on c.tenant_id = ${tenantId} and c.phone_e164 = src.phone_e164
    ), upd as (
      update contacts c set
        name = coalesce(nullif(src.name, ''), c.name),
        phone_raw = src.phone_raw,
        email = coalesce(src.email, c.email),
        company = coalesce(src.company, c.company),
        timezone = coalesce(src.timezone, c.timezone, src.inferred_timezone),
        tags = coalesce(src.tags, c.tags),
        attributes = c.attributes || src.attributes,
        last_import_id = ${importId},
        updated_at = now()
      from src
      where c.tenant_id = ${tenantId} and c.phone_e164 = src.phone_e164
        and (c.name, c.email, c.company, c.timezone, c.tags, c.attributes) is distinct from
            (coalesce(nullif(src.name, ''), c.name), coalesce(src.email, c.email),
             coalesce(src.company, c.company), coalesce(src.timezone, c.timezone, src.inferred_timezone),
             coalesce(src.tags, c.tags), c.attributes || src.attributes)
      returning c.phone_e164
    ), ins as (
      insert into contacts (tenant_id, name, phone_e164, phone_raw, email, company, timezone,
                            tags, attributes, source, last_import_id)
      select ${tenantId}, name, phone_e164, phone_raw, email, company,
             coalesce(timezone, inferred_timezone), coalesce(tags, '{}'), attributes,
             'import', ${importId}
      from src
      where not exists (
        select 1 from contacts c where c.tenant_id = ${tenantId} and c.phone_e164 = src.phone_e164
      )
      on conflict (tenant_id, phone_e164) do nothing
      returning 1
    )
    select (select count(*) from ins)::int as inserted,
           (select count(*) from upd join prior using (phone_e164) where not prior.repeated)::int as updated`;
  return { inserted: row?.inserted ?? 0, updated: row?.updated ?? 0 };
}
