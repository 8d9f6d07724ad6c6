import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  type CallingWindow,
  CallingWindowSchema,
  isValidTimeZone,
  isWithinWindow,
  nextCallableInstant,
  WEEKDAYS,
  windowCloseAfter,
} from '../../../src/lib/campaigns/schedule';

const at = (iso: string) => new Date(iso);
const hm = (h: number, m = 0) => h * 60 + m;
const EVERY_DAY = [...WEEKDAYS];
const WEEKDAYS_ONLY = [1, 2, 3, 4, 5];
const OFFICE: CallingWindow = { days: WEEKDAYS_ONLY, startMinute: hm(9), endMinute: hm(17) };
const NY = 'America/New_York';
const LONDON = 'Europe/London';
const LORD_HOWE = 'Australia/Lord_Howe';

describe('CallingWindowSchema', () => {
  it('accepts a window crossing midnight and sorts and de-duplicates its days', () => {
    const parsed = CallingWindowSchema.parse({
      days: [5, 1, 5],
      startMinute: 1320,
      endMinute: 120,
    });
    expect(parsed).toEqual({ days: [1, 5], startMinute: 1320, endMinute: 120 });
  });

  it('accepts a whole day, 00:00 to 24:00', () => {
    expect(
      CallingWindowSchema.safeParse({ days: [0], startMinute: 0, endMinute: 1440 }).success,
    ).toBe(true);
  });

  it.each([
    [{ days: [], startMinute: 540, endMinute: 1020 }, 'Pick at least one day'],
    [{ days: [7], startMinute: 540, endMinute: 1020 }, 'Days run from 0 (Sunday) to 6 (Saturday)'],
    [{ days: [-1], startMinute: 540, endMinute: 1020 }, 'Days run from 0 (Sunday) to 6 (Saturday)'],
    [{ days: [1.5], startMinute: 540, endMinute: 1020 }, 'Days must be whole numbers'],
    [{ days: [1], startMinute: 1440, endMinute: 60 }, 'Start time must be between 00:00 and 23:59'],
    [{ days: [1], startMinute: -1, endMinute: 60 }, 'Start time must be between 00:00 and 23:59'],
    [{ days: [1], startMinute: 60, endMinute: 1441 }, 'End time must be between 00:00 and 24:00'],
    [{ days: [1], startMinute: 60.5, endMinute: 120 }, 'Start time must be a whole minute'],
    [{ days: [1], startMinute: 600, endMinute: 600 }, 'Start and end times must differ'],
    [{ days: [1], endMinute: 600 }, 'Start time is required'],
  ])('rejects %j with "%s"', (input, message) => {
    const result = CallingWindowSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(message);
  });

  it('points a zero-length window at the end time', () => {
    const result = CallingWindowSchema.safeParse({ days: [1], startMinute: 600, endMinute: 600 });
    expect(result.error?.issues[0]?.path).toEqual(['endMinute']);
  });
});

describe('isValidTimeZone', () => {
  it.each([NY, 'UTC', 'Asia/Kolkata', LORD_HOWE])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Olympus_Mons', '+05:30', '', 'America/New York'])('rejects %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });

  it('makes every function throw a clear error for an unknown zone', () => {
    const now = at('2026-03-10T15:00:00Z');
    const message = 'Unknown time zone "Mars/Olympus_Mons"';
    expect(() => nextCallableInstant(OFFICE, 'Mars/Olympus_Mons', now)).toThrow(message);
    expect(() => isWithinWindow(OFFICE, 'Mars/Olympus_Mons', now)).toThrow(message);
    expect(() => windowCloseAfter(OFFICE, 'Mars/Olympus_Mons', now)).toThrow(message);
  });
});

describe('nextCallableInstant', () => {
  it.each<{
    name: string;
    window: CallingWindow;
    zone: string;
    from: string;
    options?: { notBefore?: string; notAfter?: string };
    expected: string | null;
  }>([
    {
      name: 'from inside the window returns from itself',
      window: OFFICE,
      zone: NY,
      from: '2026-03-10T15:00:00.123Z', // Tue 11:00 EDT
      expected: '2026-03-10T15:00:00.123Z',
    },
    {
      name: 'from exactly at the open returns it',
      window: OFFICE,
      zone: NY,
      from: '2026-03-10T13:00:00Z',
      expected: '2026-03-10T13:00:00Z',
    },
    {
      name: 'from exactly at the close moves to the next day (close is exclusive)',
      window: OFFICE,
      zone: NY,
      from: '2026-03-10T21:00:00Z', // Tue 17:00 EDT
      expected: '2026-03-11T13:00:00Z',
    },
    {
      name: 'a weekend skips to Monday, across the spring-forward change of offset',
      window: OFFICE,
      zone: NY,
      from: '2026-03-07T17:00:00Z', // Sat 12:00 EST
      expected: '2026-03-09T13:00:00Z', // Mon 09:00 EDT
    },
    {
      name: 'Friday evening skips to Monday',
      window: OFFICE,
      zone: NY,
      from: '2026-03-13T22:00:00Z', // Fri 18:00 EDT
      expected: '2026-03-16T13:00:00Z',
    },
    {
      name: 'a weekend skips to Monday across fall back',
      window: OFFICE,
      zone: NY,
      from: '2026-10-31T16:00:00Z', // Sat 12:00 EDT
      expected: '2026-11-02T14:00:00Z', // Mon 09:00 EST
    },
    {
      name: 'a start at 02:30 on the spring-forward day opens when the clocks jump (03:00 EDT)',
      window: { days: EVERY_DAY, startMinute: hm(2, 30), endMinute: hm(4) },
      zone: NY,
      from: '2026-03-08T05:00:00Z', // Sun 00:00 EST
      expected: '2026-03-08T07:00:00Z',
    },
    {
      name: 'a window wholly inside the spring-forward gap waits for the next week',
      window: { days: [0], startMinute: hm(2, 10), endMinute: hm(2, 40) },
      zone: NY,
      from: '2026-03-08T05:00:00Z',
      expected: '2026-03-15T06:10:00Z', // Sun 02:10 EDT
    },
    {
      name: 'a start in the repeated hour opens at its first occurrence (EDT)',
      window: { days: EVERY_DAY, startMinute: hm(1, 30), endMinute: hm(3) },
      zone: NY,
      from: '2026-11-01T04:00:00Z', // Sun 00:00 EDT
      expected: '2026-11-01T05:30:00Z', // 01:30 EDT, not 01:30 EST (06:30Z)
    },
    {
      name: 'a Friday-only window crossing midnight still counts early on Saturday',
      window: { days: [5], startMinute: hm(22), endMinute: hm(2) },
      zone: NY,
      from: '2026-03-14T05:00:00Z', // Sat 01:00 EDT
      expected: '2026-03-14T05:00:00Z',
    },
    {
      name: 'after a Friday-night window closes, the next is next Friday',
      window: { days: [5], startMinute: hm(22), endMinute: hm(2) },
      zone: NY,
      from: '2026-03-14T06:00:00Z', // Sat 02:00 EDT
      expected: '2026-03-21T02:00:00Z', // Fri 22:00 EDT
    },
    {
      name: 'London: a window in the missing hour is empty that night',
      window: { days: EVERY_DAY, startMinute: hm(1), endMinute: hm(1, 30) },
      zone: LONDON,
      from: '2026-03-29T00:30:00Z', // Sun 00:30 GMT
      expected: '2026-03-30T00:00:00Z', // Mon 01:00 BST
    },
    {
      name: 'London: a window starting in the missing hour opens at 02:00 BST',
      window: { days: EVERY_DAY, startMinute: hm(1, 15), endMinute: hm(2, 30) },
      zone: LONDON,
      from: '2026-03-29T00:30:00Z',
      expected: '2026-03-29T01:00:00Z',
    },
    {
      name: 'London: a window closing in the repeated hour runs once, not again in GMT',
      window: { days: EVERY_DAY, startMinute: hm(1), endMinute: hm(1, 45) },
      zone: LONDON,
      from: '2026-10-25T00:50:00Z', // 01:50 BST, after the close at 01:45 BST
      expected: '2026-10-26T01:00:00Z', // Mon 01:00 GMT
    },
    {
      name: 'Kolkata (+05:30): Friday after hours goes to Monday 09:00 IST',
      window: { days: WEEKDAYS_ONLY, startMinute: hm(9), endMinute: hm(18) },
      zone: 'Asia/Kolkata',
      from: '2026-06-05T13:00:00Z', // Fri 18:30 IST
      expected: '2026-06-08T03:30:00Z',
    },
    {
      name: 'Lord Howe: 02:00 on its half-hour spring-forward day opens at the jump to 02:30',
      window: { days: EVERY_DAY, startMinute: hm(2), endMinute: hm(3) },
      zone: LORD_HOWE,
      from: '2026-10-03T12:00:00Z', // Sat 22:30 +10:30
      expected: '2026-10-03T15:30:00Z',
    },
    {
      name: 'Lord Howe: 01:45 in its repeated half hour opens at the first one (+11)',
      window: { days: EVERY_DAY, startMinute: hm(1, 45), endMinute: hm(2, 15) },
      zone: LORD_HOWE,
      from: '2026-04-04T12:00:00Z',
      expected: '2026-04-04T14:45:00Z',
    },
    {
      name: 'a start date in the past changes nothing',
      window: OFFICE,
      zone: NY,
      from: '2026-03-10T15:00:00Z',
      options: { notBefore: '2026-03-01T00:00:00Z' },
      expected: '2026-03-10T15:00:00Z',
    },
    {
      name: 'a future start date gives that date’s first window instant',
      window: OFFICE,
      zone: NY,
      from: '2026-03-10T15:00:00Z',
      options: { notBefore: '2026-04-01T04:00:00Z' }, // Wed 00:00 EDT
      expected: '2026-04-01T13:00:00Z',
    },
    {
      name: 'a future start date inside a window is itself',
      window: OFFICE,
      zone: NY,
      from: '2026-03-10T15:00:00Z',
      options: { notBefore: '2026-04-01T18:30:00Z' },
      expected: '2026-04-01T18:30:00Z',
    },
    {
      name: 'notAfter before the next window gives null',
      window: OFFICE,
      zone: NY,
      from: '2026-03-07T17:00:00Z',
      options: { notAfter: '2026-03-09T12:59:59.999Z' },
      expected: null,
    },
    {
      name: 'notAfter is inclusive',
      window: OFFICE,
      zone: NY,
      from: '2026-03-07T17:00:00Z',
      options: { notAfter: '2026-03-09T13:00:00Z' },
      expected: '2026-03-09T13:00:00Z',
    },
    {
      name: 'notBefore after notAfter gives null',
      window: OFFICE,
      zone: NY,
      from: '2026-03-10T15:00:00Z',
      options: { notBefore: '2026-03-12T15:00:00Z', notAfter: '2026-03-11T15:00:00Z' },
      expected: null,
    },
  ])('$name', ({ window, zone, from, options, expected }) => {
    const result = nextCallableInstant(window, zone, at(from), {
      notBefore: options?.notBefore ? at(options.notBefore) : undefined,
      notAfter: options?.notAfter ? at(options.notAfter) : undefined,
    });
    expect(result?.toISOString() ?? null).toBe(expected && at(expected).toISOString());
  });

  it('throws on a window that was never validated', () => {
    const bad = { days: [], startMinute: 60, endMinute: 120 };
    expect(() => nextCallableInstant(bad, NY, at('2026-03-10T15:00:00Z'))).toThrow(
      'Invalid calling window',
    );
  });

  it('steps by days, not minutes: a week ahead costs a handful of time-zone look-ups', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const window = { days: [3], startMinute: hm(9), endMinute: hm(9, 1) };
    const result = nextCallableInstant(window, NY, at('2026-03-11T13:01:00Z')); // Wed 09:01 EDT
    expect(result?.toISOString()).toBe('2026-03-18T13:00:00.000Z');
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    expect(calls).toBeLessThan(40);
  });
});

describe('isWithinWindow and windowCloseAfter', () => {
  it.each<{
    name: string;
    window: CallingWindow;
    zone: string;
    instant: string;
    close: string | null;
  }>([
    {
      name: 'inside office hours closes at 17:00 local',
      window: OFFICE,
      zone: NY,
      instant: '2026-03-10T15:00:00Z',
      close: '2026-03-10T21:00:00Z',
    },
    {
      name: 'the last millisecond before the close is inside',
      window: OFFICE,
      zone: NY,
      instant: '2026-03-10T20:59:59.999Z',
      close: '2026-03-10T21:00:00Z',
    },
    {
      name: 'Saturday is outside',
      window: OFFICE,
      zone: NY,
      instant: '2026-03-14T15:00:00Z',
      close: null,
    },
    {
      name: 'just before the clocks jump is outside a 02:30 window',
      window: { days: EVERY_DAY, startMinute: hm(2, 30), endMinute: hm(4) },
      zone: NY,
      instant: '2026-03-08T06:59:59.999Z',
      close: null,
    },
    {
      name: 'the jump opens a 02:30 window, which closes at 04:00 EDT',
      window: { days: EVERY_DAY, startMinute: hm(2, 30), endMinute: hm(4) },
      zone: NY,
      instant: '2026-03-08T07:00:00Z',
      close: '2026-03-08T08:00:00Z',
    },
    {
      name: 'the second 01:45 (EST) is inside a window opened at the first 01:30',
      window: { days: EVERY_DAY, startMinute: hm(1, 30), endMinute: hm(3) },
      zone: NY,
      instant: '2026-11-01T06:45:00Z',
      close: '2026-11-01T08:00:00Z', // 03:00 EST
    },
    {
      name: 'early Saturday is inside a Friday window crossing midnight',
      window: { days: [5], startMinute: hm(22), endMinute: hm(2) },
      zone: NY,
      instant: '2026-03-14T05:00:00Z',
      close: '2026-03-14T06:00:00Z',
    },
    {
      name: 'Saturday night is outside a Friday-only window',
      window: { days: [5], startMinute: hm(22), endMinute: hm(2) },
      zone: NY,
      instant: '2026-03-15T02:30:00Z',
      close: null,
    },
    {
      name: 'Thursday night is outside a Friday-only window',
      window: { days: [5], startMinute: hm(22), endMinute: hm(2) },
      zone: NY,
      instant: '2026-03-13T03:30:00Z',
      close: null,
    },
    {
      name: 'a Saturday night window runs through the spring-forward night (5 real hours)',
      window: { days: [6], startMinute: hm(22), endMinute: hm(4) },
      zone: NY,
      instant: '2026-03-08T03:00:00Z', // Sat 22:00 EST
      close: '2026-03-08T08:00:00Z', // Sun 04:00 EDT
    },
    {
      name: 'a whole Sunday lasts 25 hours on the fall-back day',
      window: { days: [0], startMinute: 0, endMinute: 1440 },
      zone: NY,
      instant: '2026-11-01T12:00:00Z',
      close: '2026-11-02T05:00:00Z',
    },
    {
      name: 'a window ending in the repeated hour closes at its first 01:30 (EDT)',
      window: { days: [6], startMinute: hm(22), endMinute: hm(1, 30) },
      zone: NY,
      instant: '2026-11-01T05:00:00Z', // Sun 01:00 EDT
      close: '2026-11-01T05:30:00Z',
    },
    {
      name: 'and is closed during the second 01:15 (EST)',
      window: { days: [6], startMinute: hm(22), endMinute: hm(1, 30) },
      zone: NY,
      instant: '2026-11-01T06:15:00Z',
      close: null,
    },
    {
      name: 'Kolkata: 17:59 IST on a Friday closes at 18:00 IST',
      window: { days: WEEKDAYS_ONLY, startMinute: hm(9), endMinute: hm(18) },
      zone: 'Asia/Kolkata',
      instant: '2026-06-05T12:29:00Z',
      close: '2026-06-05T12:30:00Z',
    },
    {
      name: 'Lord Howe: a 02:00–03:00 window is half an hour long on spring-forward day',
      window: { days: EVERY_DAY, startMinute: hm(2), endMinute: hm(3) },
      zone: LORD_HOWE,
      instant: '2026-10-03T15:30:00Z',
      close: '2026-10-03T16:00:00Z',
    },
    {
      name: 'Lord Howe: a 01:45–02:15 window lasts an hour on fall-back day',
      window: { days: EVERY_DAY, startMinute: hm(1, 45), endMinute: hm(2, 15) },
      zone: LORD_HOWE,
      instant: '2026-04-04T15:10:00Z', // the second 01:40 (+10:30)
      close: '2026-04-04T15:45:00Z',
    },
  ])('$name', ({ window, zone, instant, close }) => {
    expect(isWithinWindow(window, zone, at(instant))).toBe(close !== null);
    expect(windowCloseAfter(window, zone, at(instant))?.toISOString() ?? null).toBe(
      close && at(close).toISOString(),
    );
  });
});

// ---- properties -------------------------------------------------------------------------

const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns', // -03:30 with DST
  'America/Santiago', // changes at midnight
  'America/Havana', // springs forward at midnight, repeats 00:00-01:00
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45
  'Australia/Adelaide', // +09:30, southern DST
  'Australia/Lord_Howe', // 30-minute DST
  'Pacific/Chatham', // +12:45/+13:45
] as const;
type Zone = (typeof ZONES)[number];

const RANGE_START = Date.UTC(2026, 0, 1);
const RANGE_END = Date.UTC(2029, 0, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// An oracle independent of the code under test: Intl's own weekday, clock and offset name.
const clocks = new Map<string, Intl.DateTimeFormat>();
function localClock(zone: string, instant: number) {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    clocks.set(zone, clock);
  }
  const parts = Object.fromEntries(clock.formatToParts(instant).map((p) => [p.type, p.value]));
  const offset = /GMT(?:([+-])(\d\d):(\d\d))?/.exec(parts.timeZoneName ?? '');
  if (!offset) throw new Error(`unexpected offset name ${parts.timeZoneName}`);
  const sign = offset[1] === '-' ? -1 : 1;
  return {
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? ''),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    offset: offset[1] ? sign * (Number(offset[2]) * 60 + Number(offset[3])) * MIN : 0,
  };
}

interface Transition {
  at: number;
  before: number;
  after: number;
}
/** Offset changes in the test range (plus a margin), found by sampling days and bisecting. */
function transitionsOf(zone: string): Transition[] {
  const found: Transition[] = [];
  for (let t = RANGE_START - 3 * DAY; t < RANGE_END + 3 * DAY; t += DAY) {
    const before = localClock(zone, t).offset;
    const after = localClock(zone, t + DAY).offset;
    if (before === after) continue;
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (localClock(zone, mid).offset === before) lo = mid;
      else hi = mid;
    }
    found.push({ at: hi, before, after });
  }
  return found;
}
const TRANSITIONS = new Map<string, Transition[]>(ZONES.map((z) => [z, transitionsOf(z)]));

/** True when the local clock shows a time it already showed before the last fall-back. */
function inRepeatedTime(zone: string, instant: number): boolean {
  return (TRANSITIONS.get(zone) ?? []).some(
    (t) => t.after < t.before && instant >= t.at && instant < t.at + (t.before - t.after),
  );
}

/** The window by the wall clock alone; agrees with the code except in repeated times. */
function insideByWallClock(window: CallingWindow, zone: string, instant: number): boolean {
  const { weekday, minute } = localClock(zone, instant);
  const { days, startMinute, endMinute } = window;
  if (endMinute > startMinute) {
    return days.includes(weekday) && minute >= startMinute && minute < endMinute;
  }
  return (
    (days.includes(weekday) && minute >= startMinute) ||
    (days.includes((weekday + 6) % 7) && minute < endMinute)
  );
}

function expectAgreesWithWallClock(window: CallingWindow, zone: string, instant: number) {
  if (inRepeatedTime(zone, instant)) return;
  expect(isWithinWindow(window, zone, new Date(instant))).toBe(
    insideByWallClock(window, zone, instant),
  );
}

// Around 00:00–03:00 and 23:00 is where clocks change; bias minutes there.
const minuteArb = (max: number) =>
  fc.oneof(
    fc.integer({ min: 0, max }),
    fc.constantFrom(0, 30, 60, 90, 105, 120, 135, 150, 180, 1380, 1410).filter((m) => m <= max),
  );
const windowArb: fc.Arbitrary<CallingWindow> = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    startMinute: minuteArb(1439),
    endMinute: fc.oneof(minuteArb(1440), fc.constant(1440)),
  })
  .filter((w) => w.startMinute !== w.endMinute);

const instantIn = (zone: Zone) => {
  const transitions = TRANSITIONS.get(zone) ?? [];
  const uniform = fc.integer({ min: RANGE_START, max: RANGE_END - 1 });
  if (transitions.length === 0) return uniform;
  const nearChange = fc
    .tuple(fc.constantFrom(...transitions), fc.integer({ min: -36 * HOUR, max: 36 * HOUR }))
    .map(([t, delta]) => t.at + delta);
  const minuteAligned = nearChange.map((t) => t - (t % MIN));
  return fc.oneof(uniform, nearChange, minuteAligned);
};
const caseArb = fc
  .constantFrom(...ZONES)
  .chain((zone) =>
    fc.record({ zone: fc.constant(zone), window: windowArb, instant: instantIn(zone) }),
  );

describe('a window inside the hour DST skips', () => {
  it('waits for the next week that has it (found by the property below)', () => {
    // Los Angeles springs forward on Sunday 8 March 2026: 02:00 → 03:00, so that
    // Sunday has no 02:15–03:00. From Saturday 01:15 PST the next one is the 15th.
    const window = { days: [0], startMinute: 135, endMinute: 180 };
    const from = new Date(1772874900000); // 2026-03-07T09:15:00Z, Saturday 01:15 PST
    expect(nextCallableInstant(window, 'America/Los_Angeles', from)?.toISOString()).toBe(
      '2026-03-15T09:15:00.000Z', // Sunday 02:15 PDT
    );
  });
});

describe('properties', () => {
  it('finds DST changes for the zones that have them (so the biased instants mean something)', () => {
    expect(TRANSITIONS.get('America/New_York')).toHaveLength(6);
    expect(TRANSITIONS.get('Australia/Lord_Howe')?.[0]).toEqual({
      at: Date.UTC(2026, 3, 4, 15),
      before: 11 * HOUR,
      after: 10.5 * HOUR,
    });
    expect(TRANSITIONS.get('Asia/Kolkata')).toHaveLength(0);
  });

  it('nextCallableInstant is inside the window, not before from, and nothing earlier is', () => {
    fc.assert(
      fc.property(caseArb, ({ zone, window, instant: from }) => {
        const result = nextCallableInstant(window, zone, new Date(from));
        expect(result).not.toBeNull();
        const r = result?.getTime() ?? Number.NaN;
        expect(r).toBeGreaterThanOrEqual(from);
        // Within a week, or two when the week's only window falls in the hour a
        // DST change skips (a Sunday 02:15–03:00 on the spring-forward day).
        expect(r - from).toBeLessThan(15 * DAY);
        expect(isWithinWindow(window, zone, new Date(r))).toBe(true);
        expectAgreesWithWallClock(window, zone, r);
        const close = windowCloseAfter(window, zone, new Date(r))?.getTime() ?? Number.NaN;
        expect(close).toBeGreaterThan(r);
        expect(isWithinWindow(window, zone, new Date(close - 1))).toBe(true);
        if (r > from) expect(isWithinWindow(window, zone, new Date(r - 1))).toBe(false);
        // Every 15 minutes from `from` to the result (at most ~200 samples) is outside.
        const step = Math.max(1, Math.ceil((r - from) / (200 * 15 * MIN))) * 15 * MIN;
        for (let t = Math.ceil(from / (15 * MIN)) * 15 * MIN; t < r; t += step) {
          expect(isWithinWindow(window, zone, new Date(t))).toBe(false);
          expectAgreesWithWallClock(window, zone, t);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('isWithinWindow agrees with the wall clock outside repeated times', () => {
    fc.assert(
      fc.property(caseArb, ({ zone, window, instant }) => {
        expectAgreesWithWallClock(window, zone, instant);
      }),
      { numRuns: 1000 },
    );
  });

  it('windowCloseAfter is set exactly when inside, and the window stays open until then', () => {
    fc.assert(
      fc.property(caseArb, ({ zone, window, instant }) => {
        const date = new Date(instant);
        const close = windowCloseAfter(window, zone, date);
        expect(close !== null).toBe(isWithinWindow(window, zone, date));
        const next = nextCallableInstant(window, zone, date)?.getTime();
        if (close === null) {
          expect(next).toBeGreaterThan(instant);
          return;
        }
        expect(next).toBe(instant);
        const c = close.getTime();
        expect(c).toBeGreaterThan(instant);
        expect(c - instant).toBeLessThanOrEqual(25 * HOUR);
        for (let t = instant; t < c; t += 47 * MIN) {
          expect(isWithinWindow(window, zone, new Date(t))).toBe(true);
        }
        expect(isWithinWindow(window, zone, new Date(c - 1))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('notBefore and notAfter bound the unbounded answer', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: -3 * DAY, max: 3 * DAY }),
        fc.integer({ min: -1 * DAY, max: 9 * DAY }),
        ({ zone, window, instant }, notBeforeDelta, notAfterDelta) => {
          const notBefore = instant + notBeforeDelta;
          const notAfter = instant + notAfterDelta;
          const unbounded = nextCallableInstant(
            window,
            zone,
            new Date(Math.max(instant, notBefore)),
          )?.getTime();
          const bounded = nextCallableInstant(window, zone, new Date(instant), {
            notBefore: new Date(notBefore),
            notAfter: new Date(notAfter),
          });
          expect(bounded?.getTime() ?? null).toBe(
            unbounded !== undefined && unbounded <= notAfter ? unbounded : null,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
