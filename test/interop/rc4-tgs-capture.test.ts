/**
 * Captures real TGS exchanges whose TGT session key (and so authenticator subkey) is rc4-hmac, from MIT krb5 1.20
 * and Samba 4.22, into test/vectors/rc4-tgs-rep-subkey.json with the throwaway keys that open them, so that
 * test/crypto/rc4-hmac.test.ts can show without a lab that KDCs encrypt such a TGS-REP with key usage 9, not the 8
 * of RFC 4757's table. Run by hand with both labs up:
 *   RECORD_RC4_TGS_VECTOR=1 npx vitest run test/interop/rc4-tgs-capture.test.ts
 * The TGT session key and the subkey are random per exchange; the principals' passwords are lab ones.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeApReq, decodeAuthenticator, decodeTgsReq, PaDataType } from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { decrypt, KeyUsage } from '../../src/crypto/index.js';
import { toHex } from '../../src/util/bytes.js';
import { RecordingTransport } from '../fuzz/record-mit.js';
import { type LabInfo, labTransport, mitLab, sambaLab } from '../helpers/lab.js';

const record = process.env['RECORD_RC4_TGS_VECTOR'] === '1';
const OUT = new URL('../vectors/rc4-tgs-rep-subkey.json', import.meta.url).pathname;

/** Which lab principal asks for which service. */
const FLOWS = [
  { lab: mitLab, kdc: 'MIT krb5 1.20 (MIT.TEST)', user: 'rc4user', service: 'cifs/file.mit.test' },
  { lab: sambaLab, kdc: 'Samba 4.22 (SAMBA.TEST)', user: 'alice', service: 'HTTP/rc4.samba.test' },
] as const;

/** Logs in with etypes [23] (an rc4 TGT session key), gets a service ticket and returns the TGS pair and keys. */
async function captureOne(lab: LabInfo, kdc: string, user: string, service: string) {
  const transport = new RecordingTransport(labTransport(lab));
  const client = new KdcClient({ realm: lab.realm, transport, etypes: [23] });
  const u = lab.principals[user]!;
  const s = await client.login({ principal: u.principal, password: u.password });
  expect(s.tgt.sessionKey.etype).toBe(23);
  await s.getServiceTicket(service);
  const tgs = transport.log.find((x) => x.request[0] === 0x6c && x.reply[0] === 0x6d);
  if (!tgs) throw new Error(`${kdc}: no TGS-REQ/TGS-REP pair recorded`);
  // The subkey travels in the PA-TGS-REQ authenticator, encrypted with the TGT session key (usage 7).
  const paTgsReq = decodeTgsReq(tgs.request).padata?.find((p) => p.padataType === PaDataType.TGS_REQ);
  if (!paTgsReq) throw new Error(`${kdc}: the TGS-REQ has no PA-TGS-REQ`);
  const apReq = decodeApReq(paTgsReq.padataValue);
  const auth = decodeAuthenticator(
    decrypt(s.tgt.sessionKey, KeyUsage.TgsReqAuthenticator, apReq.authenticator.cipher),
  );
  if (!auth.subkey) throw new Error(`${kdc}: the authenticator carries no subkey`);
  return {
    kdc,
    realm: lab.realm,
    client: u.principal,
    server: `${service}@${lab.realm}`,
    tgtSessionKey: { etype: s.tgt.sessionKey.etype, hex: toHex(s.tgt.sessionKey.bytes) },
    subkey: { etype: auth.subkey.keytype, hex: toHex(auth.subkey.keyvalue) },
    tgsReq: toHex(tgs.request),
    tgsRep: toHex(tgs.reply),
  };
}

describe.skipIf(!record || !mitLab || !sambaLab)(
  'record rc4 TGS exchanges with a subkey (RECORD_RC4_TGS_VECTOR=1, MIT and Samba labs)',
  () => {
    it('MIT and Samba: TGS with an rc4 TGT session key, recorded with the keys that open it', async () => {
      const vectors = [];
      for (const f of FLOWS) vectors.push(await captureOne(f.lab!, f.kdc, f.user, f.service));
      const file = {
        note:
          'Real TGS exchanges with an rc4-hmac TGT session key and authenticator subkey, recorded from the lab ' +
          '(scripts/lab) by test/interop/rc4-tgs-capture.test.ts. tgtSessionKey opens the PA-TGS-REQ ' +
          'authenticator (usage 7), whose subkey opens the TGS-REP enc-part with key usage 9 (not 8 as in ' +
          'RFC 4757 3). Every key is a throwaway: random per exchange.',
        createdAt: new Date().toISOString(),
        vectors,
      };
      writeFileSync(OUT, `${JSON.stringify(file, null, 1)}\n`);
    });
  },
);
