/**
 * GSS-API Kerberos mechanism cost per token (issue 15): build an initiator token, check an AP-REP, accept an AP-REQ
 * (ticket, authenticator, 0x8003 checksum, replay cache; with and without PAC verification), Wrap + Unwrap 1 KiB.
 */
import { bench, describe } from 'vitest';
import { decodeApReq, decodeAuthenticator } from '../src/asn1/index.js';
import { decrypt, KeyUsage } from '../src/crypto/index.js';
import { acceptSecContext } from '../src/gss/acceptor.js';
import { decodeKrb5Token } from '../src/gss/framing.js';
import { initSecContext, readApRepToken } from '../src/gss/initiator.js';
import { MemoryReplayCache } from '../src/gss/replay-cache.js';
import { issue, KRBTGT_KEY, serviceKey } from '../test/gss/fixtures.js';
import { testClock } from '../test/helpers/clock.js';

const clock = testClock();
const KiB = new Uint8Array(1024).fill(0x5a);

describe.each([18, 23])('etype %i', (etype) => {
  const credential = issue(etype, { pac: true });
  const keys = [serviceKey(etype)];
  const first = initSecContext({ credential, clock });
  // Each accept gets a fresh cache: the same token is accepted every time, and the cache cost is still paid.
  const accept = (readPac: boolean) =>
    acceptSecContext(first.token, {
      keys,
      clock,
      replayCache: new MemoryReplayCache({ clock }),
      kdcKeys: [KRBTGT_KEY],
      readPac,
    });
  const accepted = accept(true);
  const apReq = decodeApReq(decodeKrb5Token(first.token, [0x0100]).body);
  const sent = decodeAuthenticator(
    decrypt(credential.sessionKey, KeyUsage.ApReqAuthenticator, apReq.authenticator.cipher),
  );
  first.context.step(accepted.outputToken!);

  bench('initSecContext (AP-REQ token)', () => {
    initSecContext({ credential, clock });
  });
  bench('AP-REP check', () => {
    readApRepToken(accepted.outputToken!, credential.sessionKey, sent);
  });
  bench('acceptSecContext, PAC not read', () => {
    accept(false);
  });
  bench('acceptSecContext, PAC verified (server + KDC signatures)', () => {
    accept(true);
  });
  bench('Wrap + Unwrap 1 KiB, sealed', () => {
    accepted.context.unwrap(first.context.wrap(KiB));
  });
  bench('GetMIC + VerifyMIC 1 KiB', () => {
    accepted.context.verifyMic(KiB, first.context.getMic(KiB));
  });
});
