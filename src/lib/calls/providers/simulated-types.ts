import type { SimulatedOutcome } from './simulated-plan';
import type { BolnaStatus, CallProvider, PlaceCallFailure } from './types';

export interface SimulatedFaults {
  /** Share of placeCall requests refused with `failure`. */
  placeCallFailureRate?: number;
  failure?: PlaceCallFailure;
  duplicateWebhookRate?: number;
  /** Share of deliveries held back until after the next status's delivery. */
  outOfOrderRate?: number;
  webhookDelayMs?: [number, number];
}

export interface SimulatedProviderOptions {
  postWebhook: (payload: object) => Promise<void>;
  /** Relative weights of how calls end. */
  outcomes?: Partial<Record<SimulatedOutcome, number>>;
  ringMs?: [number, number];
  talkMs?: [number, number];
  /** From call-disconnected to completed (Bolna takes 2-3 min to post-process). */
  processingMs?: [number, number];
  faults?: SimulatedFaults;
  random?: () => number;
  setTimeout?: typeof setTimeout;
  clearTimeout?: typeof clearTimeout;
  now?: () => Date;
}

/** One call the simulator accepted, as tests see it. */
export interface SimulatedCall {
  executionId: string;
  callRef: string;
  agentId: string;
  to: string;
  outcome: SimulatedOutcome;
  status: BolnaStatus;
  placedAt: Date;
  /** The user_data Bolna would have received, switchboard_call_id included. */
  userData: Record<string, string>;
}

export interface SimulatedProviderStats {
  placed: number;
  refused: number;
  /** Most calls in a non-terminal status at once. */
  peakActive: number;
  delivered: number;
  /** postWebhook rejections; the simulator drops those deliveries. */
  failedDeliveries: number;
}

export interface SimulatedProvider extends CallProvider {
  readonly name: 'simulated';
  /** Calls not yet in a terminal status, in the order placed. */
  activeCalls(): SimulatedCall[];
  /** Every call accepted, in the order placed (ended ones are forgotten after FORGET_ENDED_CALLS_AFTER_MS). */
  calls(): SimulatedCall[];
  stats(): SimulatedProviderStats;
  /** Cancels every pending status change and delivery; later placeCalls are refused. */
  close(): void;
}
