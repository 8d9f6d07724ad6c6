/**
 * A CSV file as a download: a whole string, or chunks streamed from an
 * async generator (an export of a million rows never sits in memory). The
 * cells are the caller's to make formula-safe, with csvLine (csv-cells).
 */
export function csvDownload(
  content: string | AsyncGenerator<string>,
  fileName: string,
  options: { cacheControl?: string } = {},
): Response {
  const body = typeof content === 'string' ? content : streamOf(content);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      // Callers pass slugs; the quote and line breaks would end the header's value.
      'content-disposition': `attachment; filename="${fileName.replace(/["\\\r\n]/g, '-')}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': options.cacheControl ?? 'no-store',
    },
  });
}

/** Pulls the next chunk only when the client reads; a dropped download ends the generator. */
function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
