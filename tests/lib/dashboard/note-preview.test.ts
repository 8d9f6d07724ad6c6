import { describe, expect, it } from 'vitest';
import { notePreview } from '../../../src/lib/dashboard';

describe('notePreview', () => {
  it('keeps short text, cuts long text at a word boundary with an ellipsis', () => {
    expect(notePreview('  Short   note ')).toBe('Short note');
    const long = `${'word '.repeat(70)}end`;
    const preview = notePreview(long);
    expect(preview.length).toBeLessThanOrEqual(281);
    expect(preview.endsWith('word…')).toBe(true);
    expect(notePreview('x'.repeat(400))).toBe(`${'x'.repeat(280)}…`);
  });

  it('drops any leftover angle bracket so a preview never reads as markup', () => {
    expect(notePreview('a <script>alert(1)</script> b')).toBe('a script>alert(1)/script> b');
  });
});
