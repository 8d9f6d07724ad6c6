import type postgres from 'postgres';
import { type CoalescingEmitter, createCoalescingEmitter } from './coalescing-emitter';

const emitters = new WeakMap<postgres.Sql, CoalescingEmitter>();

/**
 * The process's coalescing emitter for this pool (1 s interval), for
 * producers that fire per call: the dispatcher (worker) and the call webhook
 * (web). Stop it on shutdown so the last touches go out.
 */
export function sharedLiveEmitter(sql: postgres.Sql): CoalescingEmitter {
  let emitter = emitters.get(sql);
  if (!emitter) {
    emitter = createCoalescingEmitter(sql);
    emitters.set(sql, emitter);
  }
  return emitter;
}
