import { z } from 'zod';
import { CALL_PROVIDERS } from '../db/schema';
import { CallingWindowSchema, isValidTimeZone } from './schedule';

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use an E.164 number such as +14155550100');

/** Which contacts a campaign calls: chosen ones, every contact, or those with a tag. */
export const ContactSelection = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(100_000) }),
  z.object({ all: z.literal(true) }),
  z.object({ tag: z.string().trim().min(1).max(50) }),
  /** Every contact in one CSV import (the campaign upload marks them all). */
  z.object({ importId: z.uuid() }),
]);
export type ContactSelection = z.infer<typeof ContactSelection>;

export const CreateCampaignInput = z
  .object({
    name: z.string().trim().min(1, 'Give the campaign a name').max(120),
    agentId: z.string().trim().min(1, 'Choose the voice agent').max(200),
    provider: z.enum(CALL_PROVIDERS).default('simulated'),
    fromNumber: E164.nullable().default(null),
    window: CallingWindowSchema,
    timezone: z
      .string()
      .refine(isValidTimeZone, 'Unknown time zone; use a name like America/New_York'),
    useContactTimezone: z.boolean().default(true),
    startAt: z.coerce.date().optional(),
    endAt: z.coerce.date().nullable().default(null),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    retryDelayMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
    contacts: ContactSelection,
    /** false keeps it a draft: nothing is dialled until it is started. */
    start: z.boolean().default(true),
  })
  .refine((c) => !c.endAt || !c.startAt || c.endAt > c.startAt, {
    path: ['endAt'],
    message: 'The end must be after the start',
  });
export type CreateCampaignInput = z.input<typeof CreateCampaignInput>;
export type CampaignSettings = z.output<typeof CreateCampaignInput>;
