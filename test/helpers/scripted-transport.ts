/** A transport that answers from a script, for flows tested without a KDC: one reply function per request, in order. */
import type { Transport } from '../../src/transport/index.js';

/** Replies come from `script`, one function per request; `sent` keeps every request; an extra request throws. */
export function scripted(script: ((req: Uint8Array) => Uint8Array)[]): Transport & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  const sendDetailed = async (_realm: string, req: Uint8Array) => {
    const step = script[sent.length];
    sent.push(req);
    if (!step) throw new Error(`unexpected request #${sent.length}`);
    return {
      reply: step(req),
      kdc: { host: '127.0.0.1', port: 88, proto: 'tcp' as const },
      attempts: [],
      ms: 0,
    };
  };
  return { sent, sendDetailed, send: async (r, q) => (await sendDetailed(r, q)).reply };
}
