import { describe, expect, it } from 'vitest';
import { groupByDay, listUpcomingActivities } from '../../../src/lib/dashboard';
import { makeTenant } from '../../factories';
import { makeActivities } from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOW = new Date('2026-11-24T15:00:00Z');
const HOUR = 3_600_000;
const inHours = (h: number) => new Date(NOW.getTime() + h * HOUR);

describe('listUpcomingActivities', () => {
  it('returns only activities starting after now, soonest first, without deleted ones', async () => {
    const tenant = await makeTenant(t.db);
    await makeActivities(t.db, tenant.id, [
      { startsAt: inHours(30), title: 'Third', endsAt: inHours(31) },
      { startsAt: inHours(-1), title: 'Past' },
      { startsAt: NOW, title: 'Starting this instant' },
      { startsAt: inHours(2), title: 'First', description: 'Bring the FDD', type: 'Meeting' },
      { startsAt: inHours(5), title: 'Cancelled', deleted: true },
      { startsAt: null, title: 'Undated' },
      { startsAt: inHours(3), title: 'Second' },
    ]);
    const { activities } = await listUpcomingActivities(t.db, tenant.id, { now: NOW });
    expect(activities.map((a) => a.title)).toEqual(['First', 'Second', 'Third']);
    expect(activities[0]).toMatchObject({
      startsAt: inHours(2).toISOString(),
      endsAt: null,
      type: 'Meeting',
      contactName: 'Pat Lee',
      description: 'Bring the FDD',
      ownerName: 'Rep One',
    });
    expect(activities[2]?.endsAt).toBe(inHours(31).toISOString());
  });

  it('stops at the limit, which is capped at 500', async () => {
    const tenant = await makeTenant(t.db);
    await makeActivities(
      t.db,
      tenant.id,
      Array.from({ length: 12 }, (_, i) => ({ startsAt: inHours(i + 1) })),
    );
    expect(
      (await listUpcomingActivities(t.db, tenant.id, { now: NOW, limit: 5 })).activities,
    ).toHaveLength(5);
    expect(
      (await listUpcomingActivities(t.db, tenant.id, { now: NOW, limit: 10_000 })).activities,
    ).toHaveLength(12);
  });

  it("never returns another tenant's activities", async () => {
    const mine = await makeTenant(t.db);
    const other = await makeTenant(t.db);
    await makeActivities(t.db, mine.id, [{ startsAt: inHours(1), title: 'Mine' }]);
    await makeActivities(t.db, other.id, [{ startsAt: inHours(1), title: 'Theirs' }]);
    const { activities } = await listUpcomingActivities(t.db, mine.id, { now: NOW });
    expect(activities.map((a) => a.title)).toEqual(['Mine']);
  });
});

describe('groupByDay', () => {
  it("groups by the tenant's calendar day across its midnight, not UTC's", () => {
    const activities = [
      // 11:30 pm Tuesday in Chicago (05:30 UTC Wednesday)
      { id: 'a', startsAt: '2026-11-25T05:30:00.000Z' },
      // 12:15 am Wednesday in Chicago
      { id: 'b', startsAt: '2026-11-25T06:15:00.000Z' },
      { id: 'c', startsAt: '2026-11-25T20:00:00.000Z' },
    ];
    expect(groupByDay(activities, 'America/Chicago')).toEqual([
      { day: '2026-11-24', label: 'Tuesday, Nov 24', activities: [activities[0]] },
      { day: '2026-11-25', label: 'Wednesday, Nov 25', activities: [activities[1], activities[2]] },
    ]);
    expect(groupByDay(activities, 'UTC').map((g) => [g.day, g.activities.length])).toEqual([
      ['2026-11-25', 3],
    ]);
  });

  it('returns no groups for no activities', () => {
    expect(groupByDay([], 'America/New_York')).toEqual([]);
  });
});
