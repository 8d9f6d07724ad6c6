export const PREVIEW_LENGTH = 280;

/**
 * A note's text shortened for a list: whitespace collapsed, cut at the last
 * word boundary within `max` characters, with "…" when anything was cut.
 * The sync already stripped the HTML; a stray '<' is dropped too, so the
 * preview can never read as markup wherever it ends up.
 */
export function notePreview(text: string, max = PREVIEW_LENGTH): string {
  const clean = text.replaceAll('<', '').replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const head = clean.slice(0, max + 1);
  const space = head.lastIndexOf(' ');
  // One very long "word" (a URL): cut inside it rather than show almost nothing.
  const body = space >= max * 0.5 ? head.slice(0, space) : Array.from(clean).slice(0, max).join('');
  return `${body.replace(/[\s,;:.!?\-–—]+$/u, '')}…`;
}
