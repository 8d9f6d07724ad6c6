/**
 * An SSE client on node:http for the benches (cheaper per chunk than fetch's
 * web streams, so a thousand of them in one process don't delay their own
 * receipt times): parses frames and hands each event over with the time its
 * chunk arrived.
 */
import { type Agent, get } from 'node:http';

export interface SseEvent {
  event: string;
  data: unknown;
  /** Date.now() when the chunk carrying it arrived. */
  at: number;
}

export interface SseClientOptions {
  agent: Agent;
  cookie: string;
  onEvent: (event: SseEvent) => void;
  /** The stream failed, or ended without close(). */
  onFail: (reason: string) => void;
  /** Ready once this holds for an event; by default as soon as the first bytes arrive. */
  readyOn?: (event: SseEvent) => boolean;
}

export interface SseClient {
  /** Resolves when ready, or when the stream fails (onFail says so). */
  ready: Promise<void>;
  close: () => void;
}

export function openSseClient(url: string, options: SseClientOptions): SseClient {
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let closing = false;
  const fail = (reason: string) => {
    if (closing) return;
    closing = true;
    options.onFail(reason);
    markReady();
  };
  const request = get(
    url,
    { agent: options.agent, headers: { cookie: options.cookie, accept: 'text/event-stream' } },
    (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return fail(`status ${response.statusCode}`);
      }
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        const at = Date.now();
        if (!options.readyOn) markReady();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!event || !data) continue;
          const parsed: SseEvent = { event, data: JSON.parse(data), at };
          options.onEvent(parsed);
          if (options.readyOn?.(parsed)) markReady();
        }
      });
      response.on('end', () => fail('stream ended'));
      response.on('error', (error) => fail(error.message));
    },
  );
  request.on('error', (error) => fail(error.message));
  return {
    ready,
    close: () => {
      closing = true;
      request.destroy();
      markReady();
    },
  };
}
