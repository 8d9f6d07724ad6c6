/**
 * CT writes times as 'YYYY-MM-DD HH:MM:SS' in the account's zone. Intl is too
 * slow for 100k+ stamps, so the zone offset is looked up once per UTC hour
 * (zone transitions fall on whole hours) and the rest is arithmetic.
 */
export interface CtClock {
  format(instant: Date | number): string;
  /** The instant at a local wall-clock time on the local day containing `instant`. */
  atLocal(instant: number, hour: number, minute: number): number;
  /** The instant a 'YYYY-MM-DD HH:MM:SS' local time names (NaN when malformed). */
  parse(local: string): number;
}

const HOUR = 3_600_000;
export const DAY_MS = 24 * HOUR;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function ctClock(timeZone: string): CtClock {
  const intl = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  });
  const offsets = new Map<number, number>();
  const offsetAt = (hour: number) => {
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const utc = hour * HOUR;
      const p = Object.fromEntries(intl.formatToParts(utc).map((x) => [x.type, Number(x.value)]));
      const local = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
      offset = local - utc;
      offsets.set(hour, offset);
    }
    return offset;
  };
  const local = (ms: number) => ms + offsetAt(Math.floor(ms / HOUR));
  // Wall-clock ms → instant: the offset at the wall time is close enough to find the right hour.
  const toInstant = (wall: number) =>
    wall - offsetAt(Math.floor((wall - offsetAt(Math.floor(wall / HOUR))) / HOUR));
  return {
    format(instant) {
      const d = new Date(local(typeof instant === 'number' ? instant : instant.getTime()));
      return (
        `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
        `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
      );
    },
    atLocal(instant, hour, minute) {
      return toInstant(
        Math.floor(local(instant) / DAY_MS) * DAY_MS + hour * HOUR + minute * 60_000,
      );
    },
    parse(text) {
      return toInstant(Date.parse(`${text.replace(' ', 'T')}Z`));
    },
  };
}
