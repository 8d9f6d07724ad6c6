const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A small self-contained 403 page, answered from the middleware before any page renders. */
export function forbiddenPage(message: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Access denied · Switchboard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#f6f7f9;color:#1f2933;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #dde1e6;border-radius:12px;padding:2rem;max-width:28rem}h1{margin-top:0;font-size:1.4rem}a{color:#2557d6}</style>
</head><body><main><h1>Access denied</h1><p>${escapeHtml(message)}</p><p><a href="/workspaces">Choose a workspace</a></p></main></body></html>`;
  return new Response(html, {
    status: 403,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}
