/**
 * A secret given on standard input (--password-stdin). It is read before Nest starts, because
 * nest-commander opens its own reader on stdin at boot and would swallow the line.
 */
let secret: string | undefined;

export async function readStdinSecret(): Promise<void> {
  if (process.stdin.isTTY) return;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).length > 4096) break;
  }
  secret = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

export function takeStdinSecret(): string | undefined {
  const s = secret;
  secret = undefined;
  return s;
}
