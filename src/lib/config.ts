import { z } from 'zod';

/** Everything the processes read from the environment, parsed once at startup and passed in. */
export const AppConfig = z.object({
  databaseUrl: z.url(),
  publicUrl: z.url().optional(),
  secretsKey: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,44}$/, 'SECRETS_KEY must be 32 bytes, base64 encoded')
    .optional(),
  dbPoolMax: z.coerce.number().int().min(1).max(100).default(10),
  clienttetherApiUrl: z.url().default('https://api.clienttether.com/v2/api/'),
  /** Enterprise access token used for tenants that have no token of their own. */
  clienttetherAccessToken: z.string().min(1).optional(),
  /** When the worker syncs ClientTether (cron, UTC); unset = hourly. The soak bench compresses it. */
  clienttetherSyncSchedule: z
    .string()
    .regex(/^\S+( \S+){4,5}$/, 'CLIENTTETHER_SYNC_SCHEDULE must be a cron expression')
    .optional(),
  /** Contact imports: largest upload accepted, data rows and columns per file (decision 005). */
  importMaxBytes: z.coerce
    .number()
    .int()
    .min(1)
    .default(100 * 1024 * 1024),
  importMaxRows: z.coerce.number().int().min(1).default(1_000_000),
  importMaxColumns: z.coerce.number().int().min(1).max(1000).default(50),
  /** Where uploads wait on disk between being received and being processed. */
  importSpoolDir: z.string().min(1).optional(),
  /** Bolna key for tenants without one of their own (campaigns with provider "bolna"). */
  bolnaApiKey: z.string().min(1).optional(),
  bolnaApiUrl: z.url().default('https://api.bolna.ai'),
  /** Addresses call webhooks may come from (Bolna publishes its own); empty = any. */
  webhookIpAllowlist: z.array(z.union([z.ipv4(), z.ipv6()])).default([]),
  /**
   * How long a claimed call is its dispatcher's before recovery may settle it
   * (checklist 13: 60 s). Recovery sweeps every min(10 s, half of it).
   */
  dispatchLeaseSeconds: z.coerce.number().int().min(2).max(3600).default(60),
  /**
   * A call in progress this long with no final webhook is settled from the
   * provider's record (checklist 15: longer than the longest call + 5 min).
   */
  dispatchStaleCallSeconds: z.coerce.number().int().min(1).max(86_400).default(900),
  /**
   * How often a worker looks for a tick another one left part-done (a rolling
   * deploy stops the old worker after the new one started) and finishes it.
   */
  resumeSweepSeconds: z.coerce.number().int().min(1).max(3600).default(300),
  /** Live events (GET /api/events): heartbeat interval and how far a client may fall behind; defaults in lib/events. */
  liveEventsHeartbeatMs: z.coerce.number().int().min(100).optional(),
  liveEventsMaxBufferBytes: z.coerce.number().int().min(1024).optional(),
  /** SMTP server for invites and password resets (nodemailer URL); unset = the outbox table. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  /** Sender of those mails; default in lib/mail (DEFAULT_MAIL_FROM). */
  mailFrom: z.string().min(3).optional(),
});
export type AppConfig = z.infer<typeof AppConfig>;

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = AppConfig.safeParse({
    databaseUrl: env.DATABASE_URL,
    publicUrl: env.PUBLIC_URL || undefined,
    secretsKey: env.SECRETS_KEY || undefined,
    dbPoolMax: env.DB_POOL_MAX || undefined,
    clienttetherApiUrl: env.CLIENTTETHER_API_URL || undefined,
    clienttetherAccessToken: env.CLIENTTETHER_ACCESS_TOKEN || undefined,
    clienttetherSyncSchedule: env.CLIENTTETHER_SYNC_SCHEDULE || undefined,
    importMaxBytes: env.IMPORT_MAX_BYTES || undefined,
    importMaxRows: env.IMPORT_MAX_ROWS || undefined,
    importMaxColumns: env.IMPORT_MAX_COLUMNS || undefined,
    importSpoolDir: env.IMPORT_SPOOL_DIR || undefined,
    bolnaApiKey: env.BOLNA_API_KEY || undefined,
    bolnaApiUrl: env.BOLNA_API_URL || undefined,
    webhookIpAllowlist: env.WEBHOOK_IP_ALLOWLIST
      ? env.WEBHOOK_IP_ALLOWLIST.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    liveEventsHeartbeatMs: env.LIVE_EVENTS_HEARTBEAT_MS || undefined,
    dispatchLeaseSeconds: env.DISPATCH_LEASE_SECONDS || undefined,
    dispatchStaleCallSeconds: env.DISPATCH_STALE_CALL_SECONDS || undefined,
    resumeSweepSeconds: env.WORKER_RESUME_SWEEP_SECONDS || undefined,
    liveEventsMaxBufferBytes: env.LIVE_EVENTS_MAX_BUFFER_BYTES || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Cookies are `Secure` (and `__Host-` prefixed) when the site is served over https. */
export function isHttps(config: Pick<AppConfig, 'publicUrl'>): boolean {
  return config.publicUrl?.startsWith('https:') ?? false;
}
