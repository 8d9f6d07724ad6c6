/** Public shapes of the ClientTether simulator (re-exported by ../simulator.ts). */

export interface SimulatorTenant {
  webKey: string;
  seed: number;
  /** Default 300. */
  clients?: number;
  /** Default 40 % of `clients` (120 for 300). */
  opportunities?: number;
  /** Default 25 % of `clients`. */
  events?: number;
  /** The account's zone: CT writes 'YYYY-MM-DD HH:MM:SS' local times. Default America/New_York. */
  timeZone?: string;
}

export interface SimulatorFaults {
  /** Added to every response. */
  latencyMs: number;
  /** The next N requests answer 429 with Retry-After. */
  rateLimited: number;
  retryAfterSeconds: number;
  /** The next N requests answer 500. */
  serverErrors: number;
  /** The next N requests answer 200 with a truncated JSON body. */
  malformedJson: number;
  /** quirky = {"resultCode":"CT200",…} casing and TotalRecord as a string. */
  envelope: 'standard' | 'quirky';
  /** Every request's socket is destroyed (connection reset). */
  down: boolean;
  /** Wait this long before answering (to provoke client timeouts). */
  hangMs: number;
}

export interface RequestLogEntry {
  endpoint: string;
  /** HTTP status; 0 when the connection was reset (`down`). */
  status: number;
  at: number;
  /** Last 4 characters of a known tenant's web key, '' otherwise. */
  webKeySuffix: string;
}

export type SimRecord = Record<string, string>;

export interface SimulatorDataset {
  clients: SimRecord[];
  opportunities: SimRecord[];
  salesCycles: SimRecord[];
  leadSources: SimRecord[];
  /** Flattened; the API nests them in groups (array of arrays). */
  actionPlans: SimRecord[];
  users: SimRecord[];
  events: SimRecord[];
  /** History notes, each with client_id. */
  notes: SimRecord[];
}

export interface ClientTetherSimulator {
  /** Base URL ending in '/v2/api/'. */
  url: string;
  accessToken: string;
  stop(): Promise<void>;
  setFaults(faults: Partial<SimulatorFaults>): void;
  resetFaults(): void;
  /** Advances one tenant's data as if time passed; deterministic for a seed and step count. */
  evolve(webKey: string, steps?: number): void;
  /** The tenant's current dataset as API-shaped records (copies). */
  dataset(webKey: string): SimulatorDataset;
  /** Requests served so far (the most recent 10 000). */
  requestLog(): ReadonlyArray<RequestLogEntry>;
}

export interface SimulatorOptions {
  accessToken: string;
  tenants: SimulatorTenant[];
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  now?: () => Date;
  /** Evolves every tenant by one step on this interval (the demo's "live" feel). */
  evolveEveryMs?: number;
}
