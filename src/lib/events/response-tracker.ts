import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';

/**
 * The Node response behind the request being handled, so an SSE stream can
 * see how much its client has not yet taken: Astro's node adapter writes a
 * Response body without waiting for 'drain', so a slow client would otherwise
 * grow the process's memory without bound. Node announces each request on
 * the `http.server.request.start` diagnostics channel (a public API) just
 * before handling it; the store carries its response into the handler.
 */
const current = new AsyncLocalStorage<ServerResponse | undefined>();

subscribe('http.server.request.start', (message) => {
  const { response } = message as { response?: ServerResponse };
  current.enterWith(response);
});

/** The response of the request in progress; undefined outside a Node HTTP server (or before this module loaded). */
export function currentServerResponse(): ServerResponse | undefined {
  return current.getStore();
}
