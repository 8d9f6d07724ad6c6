import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDurationWords,
  formatEta,
  formatRate,
  roundEta,
} from '../../../src/components/campaigns/eta';
import { estimateEtaSeconds } from '../../../src/lib/campaigns/progress';

/** Reads the words back into seconds, so the property checks what a person reads. */
function readBack(words: string): number {
  if (words === 'no time') return 0;
  if (words === 'less than a minute') return 30;
  let total = 0;
  for (const [, n, unit] of words.matchAll(/(\d+) (day|hour|minute)s?/g)) {
    total +=
      Number(n) * { day: 86_400, hour: 3_600, minute: 60 }[unit as 'day' | 'hour' | 'minute'];
  }
  return total;
}

const anySeconds = fc.oneof(
  fc.double({ min: -1e7, max: 1e8, noNaN: true }),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
);

describe('ETA formatting', () => {
  it('is never negative, whatever the estimate', () => {
    fc.assert(
      fc.property(anySeconds, (s) => {
        expect(roundEta(s)).toBeGreaterThanOrEqual(0);
        const words = formatDurationWords(s);
        expect(words).not.toMatch(/-|NaN|Infinity/);
        expect(readBack(words)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('is monotone in the remaining work: more calls left never reads as less time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.double({ min: 0.1, max: 10_000, noNaN: true }),
        (a, b, rate) => {
          const [less, more] = a <= b ? [a, b] : [b, a];
          const eta = (n: number) => estimateEtaSeconds(n, rate) ?? 0;
          expect(roundEta(eta(less))).toBeLessThanOrEqual(roundEta(eta(more)));
          expect(readBack(formatDurationWords(eta(less)))).toBeLessThanOrEqual(
            readBack(formatDurationWords(eta(more))),
          );
        },
      ),
    );
  });

  it('never shows less time than estimated (rounds up)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (s) => {
        expect(roundEta(s)).toBeGreaterThanOrEqual(s);
      }),
    );
  });

  it('reads like a person would say it', () => {
    expect(formatEta(20)).toBe('less than a minute left');
    expect(formatEta(61)).toBe('about 2 minutes left');
    expect(formatEta(3_600)).toBe('about 1 hour left');
    expect(formatEta(2 * 3_600 + 31 * 60)).toBe('about 2 hours 35 minutes left');
    expect(formatEta(3 * 86_400 + 3_000)).toBe('about 3 days 1 hour left');
    expect(formatEta(0)).toBe('Finishing');
    expect(formatEta(null, 'paused')).toBe('Paused: no estimate until it resumes');
    expect(formatEta(null, 'completed')).toBe('Finished');
    expect(formatEta(null, 'running')).toBe('Estimating…');
  });

  it('formats the calling speed', () => {
    expect(formatRate(2.5)).toBe('2.5 calls/min');
    expect(formatRate(3)).toBe('3 calls/min');
    expect(formatRate(42.4)).toBe('42 calls/min');
    expect(formatRate(-1)).toBe('0 calls/min');
  });
});
