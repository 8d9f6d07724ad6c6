import { z } from 'zod';

export const ANALYTICS_RANGES = ['today', '7d', '30d', '90d'] as const;
export type AnalyticsRange = (typeof ANALYTICS_RANGES)[number];
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Days in each range, today included. */
export const RANGE_DAYS: Record<AnalyticsRange, number> = {
  today: 1,
  '7d': 7,
  '30d': 30,
  '90d': 90,
};

function oneOf<const T extends readonly [string, ...string[]]>(name: string, values: T) {
  return z.enum(values, { error: () => `${name} must be one of ${values.join(', ')}` });
}

export const DashboardStatsQuery = z.object({
  range: oneOf('range', ANALYTICS_RANGES).default('30d'),
});
export type DashboardStatsQuery = z.output<typeof DashboardStatsQuery>;

export const CallAnalyticsQuery = z.object({
  range: oneOf('range', ANALYTICS_RANGES).default('30d'),
  granularity: oneOf('granularity', GRANULARITIES).default('day'),
});
export type CallAnalyticsQuery = z.output<typeof CallAnalyticsQuery>;
