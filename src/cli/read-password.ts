import { text } from 'node:stream/consumers';

/** ADMIN_PASSWORD, else the first line of standard input (piped or typed). */
export async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const input = await text(process.stdin);
  return input.split(/\r?\n/)[0] ?? '';
}
