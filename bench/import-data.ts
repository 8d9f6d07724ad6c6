import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/** NANP area codes in use, to spread generated numbers over real-looking regions. */
const AREA_CODES = [212, 213, 305, 312, 415, 512, 617, 702, 713, 808, 907, 206, 303, 404, 602];
const FORMATS = [
  (a: number, n: string) => `(${a}) ${n.slice(0, 3)}-${n.slice(3)}`,
  (a: number, n: string) => `${a}-${n.slice(0, 3)}-${n.slice(3)}`,
  (a: number, n: string) => `${a}.${n.slice(0, 3)}.${n.slice(3)}`,
  (a: number, n: string) => `+1 ${a} ${n.slice(0, 3)} ${n.slice(3)}`,
  (a: number, n: string) => `1${a}${n}`,
  (a: number, n: string) => `${a}${n}`,
];
const INVALID = ['555-01', 'n/a', '+44 07911 123456', '12345678901234567', 'call me'];

/** The i-th distinct phone number, in one of the formats people type. */
function phone(i: number): string {
  const kind = i % 20;
  if (kind === 18) return `+44 7911 ${String(Math.floor(i / 20)).padStart(6, '0')}`;
  if (kind === 19)
    return `+61 4${String(10_000_000 + (i % 89_999_999)).slice(0, 2)} ${String(i % 1000).padStart(3, '0')} ${String(Math.floor(i / 1000) % 1000).padStart(3, '0')}`;
  const area = AREA_CODES[i % AREA_CODES.length] ?? 415;
  const local = `${200 + (Math.floor(i / AREA_CODES.length) % 800)}${String(Math.floor(i / (AREA_CODES.length * 800)) % 10_000).padStart(4, '0')}`;
  const format = FORMATS[i % FORMATS.length] ?? ((a: number, n: string) => `${a}${n}`);
  return format(area, local);
}

/**
 * Writes `rows` contacts: name, phone, email, company, timezone, notes (half
 * quoted with a comma), city. 2 % have an invalid phone, 5 % repeat the phone
 * of an earlier row (in another format).
 */
export async function writeContactsCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('name,phone,email,company,timezone,notes,city\n');
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    let number: string;
    if (i % 50 === 7) number = INVALID[i % INVALID.length] ?? 'n/a';
    else if (i % 20 === 3 && i > 100) number = phone(i - 97);
    else number = phone(i);
    const notes = i % 2 === 0 ? `"Met at expo, booth ${i % 300}"` : 'Follow up next week';
    buffer += `Contact ${i},${number},contact${i}@example.com,Company ${i % 5000},,${notes},City ${i % 700}\n`;
    if (buffer.length > 65_536) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await finished(out);
}
