// Windows' own AP-REQ tokens (Kerberos.NET test data: rc4, aes128, aes256 with the service key) opened by the
// acceptor. Read from the shared external vectors when present; never copied into the repository.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeApReq, decodeAuthenticator, decodeEncTicketPart } from '../../src/asn1/index.js';
import { decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import { GssFlag } from '../../src/gss/constants.js';
import { decodeKrb5Token } from '../../src/gss/framing.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { formatPrincipal } from '../../src/messages/principal.js';

const DIRS = [process.env['TSKRB_SHARED'], join(process.cwd(), '..', 'shared'), '/work/shared'].flatMap(
  (d) => (d ? [join(d, 'external-vectors', 'kerberos-net', 'data')] : []),
);
const dir = DIRS.find((d) => existsSync(join(d, 'aes256-kerberos-data')));
const CASES = [
  ['rc4', 23],
  ['aes128', 17],
  ['aes256', 18],
] as const;

describe.skipIf(!dir)(
  'Windows AP-REQ tokens (Kerberos.NET test data; skipped without shared/external-vectors)',
  () => {
    it.each(CASES)('%s: accepted with the service key, mutual authentication answered', (name, etype) => {
      const token = new Uint8Array(readFileSync(join(dir!, `${name}-kerberos-data`)));
      const key = new Key(etype, new Uint8Array(readFileSync(join(dir!, `${name}-key-data`))));
      // The tokens are from 2009: the test clock is the authenticator's time, read with the same key.
      const apReq = decodeApReq(decodeKrb5Token(token, [0x0100]).body);
      const part = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, apReq.ticket.encPart.cipher));
      const session = new Key(part.key.keytype, part.key.keyvalue);
      const ctime = decodeAuthenticator(
        decrypt(session, KeyUsage.ApReqAuthenticator, apReq.authenticator.cipher),
      ).ctime;
      const clock = () => ctime.getTime();
      const r = acceptSecContext(token, {
        keys: [key],
        clock,
        replayCache: new MemoryReplayCache({ clock }),
      });
      expect(formatPrincipal(r.client.name, r.client.realm)).toBe('user.test@DOMAIN.COM');
      expect(r.flags & GssFlag.MUTUAL).toBe(GssFlag.MUTUAL);
      expect(r.outputToken?.subarray(0, 1)).toEqual(Uint8Array.of(0x60));
      expect(r.pac?.verification.server.status).toBe('valid');
      expect(r.pac?.summary).toBeDefined();
      const m = new TextEncoder().encode('to Windows');
      expect(r.context.wrap(m).length).toBeGreaterThan(m.length);
    });
  },
);
