/**
 * A KRB-ERROR forged for a FAST request (issue 9, RFC 6113 5.4.3): once the AS-REQ is armored, an error must come
 * back inside PA-FX-ERROR, encrypted in the armor key. A relay in front of the MIT lab's FAST.TEST KDC answers the
 * armored request with an unarmored KRB-ERROR; the client must refuse it as unauthenticated and must not act on
 * it (no clock change from KRB_AP_ERR_SKEW, no client referral from KDC_ERR_WRONG_REALM, no key derivation from
 * the error's ETYPE-INFO2), as MIT (fast.c) and Heimdal (check_fast) do. Found here, fixed in src/client (cfb3f2f).
 */
import { describe, expect, it } from 'vitest';
import {
  decodeAsReq,
  encodeEtypeInfo2,
  encodeKrbError,
  encodeMethodData,
  type KrbError,
  PaDataType,
} from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/index.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { ProtocolError } from '../../src/errors.js';
import { labKeys, labTransport, mitLab } from '../helpers/lab.js';
import { TamperTransport } from './tamper.js';

const lab = mitLab;
const fast = lab?.['fast'] as { realm: string; user: string; armor: string } | undefined;
const forged: [string, Partial<KrbError> & { errorCode: number }, RegExp][] = [
  [
    'KRB_AP_ERR_SKEW with a KDC time one day ahead',
    { errorCode: 37, stime: new Date(Date.now() + 86_400_000) },
    /clock skew/,
  ],
  [
    'KDC_ERR_WRONG_REALM naming EVIL.TEST',
    { errorCode: 68, crealm: 'EVIL.TEST', cname: { nameType: 1, nameString: ['fastuser'] } },
    /referral/,
  ],
  [
    'KDC_ERR_PREAUTH_REQUIRED offering rc4-hmac in ETYPE-INFO2',
    {
      errorCode: 25,
      eData: encodeMethodData([
        { padataType: PaDataType.ETYPE_INFO2, padataValue: encodeEtypeInfo2([{ etype: 23 }]) },
      ]),
    },
    /ETYPE-INFO2/,
  ],
  ['KDC_ERR_PREAUTH_FAILED (a "wrong password")', { errorCode: 24 }, /^$/],
];

describe.skipIf(!lab || !fast)(
  'MIT FAST.TEST: an unarmored KRB-ERROR answering an armored AS-REQ is refused (lab not running)',
  () => {
    it.each(forged)('%s: ProtocolError fast-error, not acted on', async (_, fields, actedOn) => {
      const F = fast!;
      const t = new TamperTransport(labTransport(lab!));
      const events: TraceEvent[] = [];
      const client = new KdcClient({ realm: F.realm, transport: t, trace: (e) => events.push(e) });
      t.rewrite = ({ request }) => {
        if (request[0] !== 0x6a) return undefined;
        const armored = (decodeAsReq(request).padata ?? []).some((p) => p.padataType === PaDataType.FX_FAST);
        if (!armored) return undefined;
        return encodeKrbError({
          pvno: 5,
          msgType: 30,
          stime: new Date(),
          susec: 0,
          realm: F.realm,
          sname: { nameType: 2, nameString: ['krbtgt', F.realm] },
          ...fields,
        });
      };
      const user = lab!.principals[F.user]!;
      const armor = lab!.principals[F.armor]!;
      const e = await client
        .login({
          principal: user.principal,
          password: user.password,
          armor: { principal: armor.principal, keys: labKeys(armor) },
          fast: 'required',
        })
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).check).toBe('fast-error');
      const notes = events.filter((ev) => ev.phase === 'note').map((ev) => ev.summary);
      if (actedOn.source !== '^$') expect(notes.filter((n) => actedOn.test(n))).toEqual([]);
      expect(client.timeOffsetMs).toBe(0);
    });
  },
);
