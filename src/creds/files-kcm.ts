/**
 * Node side of KCM: the Unix socket (krb5.conf `kcm_socket`, default Heimdal's path, which sssd-kcm serves).
 * Each request is one connection (MIT cc_kcm.c kcmsock_call): the request as a 4-byte big-endian length and the
 * body; the reply as a 4-byte length, a 4-byte transport status, then that many bytes of body.
 */
import { connect } from 'node:net';
import { TransportError } from '../errors.js';
import type { KcmCall } from './kcm.js';

/** Where MIT and Heimdal look for the KCM (`kcm_socket` in krb5.conf moves it). */
export const DEFAULT_KCM_SOCKET = '/var/run/.heim_org.h5l.kcm-socket';
const MAX_REPLY = 16 * 1024 * 1024;

/** A KcmCall over the Unix socket at `path`. */
export function kcmSocketCall(path: string = DEFAULT_KCM_SOCKET, timeoutMs = 10_000): KcmCall {
  return (request) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const sock = connect(path);
      const chunks: Buffer[] = [];
      let got = 0;
      let done = false;
      const fail = (why: string, cause?: unknown) => {
        if (done) return;
        done = true;
        sock.destroy();
        reject(
          new TransportError(`KCM at ${path}: ${why}`, {
            kdc: path,
            hint: 'is sssd-kcm (or Heimdal kcm) running? krb5.conf kcm_socket names its socket',
            cause,
          }),
        );
      };
      sock.setTimeout(timeoutMs, () => fail(`no reply in ${timeoutMs} ms`));
      sock.on('error', (e) => fail(e.message, e));
      sock.on('connect', () => {
        const head = Buffer.alloc(4);
        head.writeUInt32BE(request.length);
        sock.write(Buffer.concat([head, request]));
      });
      sock.on('data', (d: Buffer) => {
        chunks.push(d);
        got += d.length;
        if (got < 8) return;
        const all = Buffer.concat(chunks);
        const len = all.readUInt32BE(0);
        const status = all.readInt32BE(4);
        if (status !== 0) return fail(`transport status ${status}`);
        if (len > MAX_REPLY) return fail(`reply of ${len} bytes`);
        if (all.length < 8 + len) return;
        done = true;
        sock.end();
        resolve(new Uint8Array(all.subarray(8, 8 + len)));
      });
      sock.on('close', () => fail('closed before the whole reply'));
    });
}
