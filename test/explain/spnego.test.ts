// SPNEGO tokens and Negotiate header lines in describe: built with the real mechanism, and Windows' own tokens from
// Kerberos.NET's public test data (read from /work/shared/external-vectors when present, skipped visibly otherwise).
import { describe, expect, it } from 'vitest';
import { GssMechOid } from '../../src/gss/constants.js';
import {
  encodeMechTypeList,
  encodeNegotiationToken,
  encodeSpnegoInitialToken,
  NEG_HINTS_IGNORE_NAME,
  NegState,
} from '../../src/gss/spnego-codec.js';
import { formatNegotiateHeader } from '../../src/gss/spnego-http.js';
import { NEGOEX_OID, NTLMSSP_OID } from '../../src/gss/spnego-mic.js';
import { concat, toBase64, toHex, utf8 } from '../../src/util/bytes.js';
import { describeText, gssSession, keyArg } from '../cli/gss-fixtures.js';
import { REALM } from '../gss/fixtures.js';
import { HAVE_KERBEROS_NET, kerberosNetFile, kerberosNetString } from '../gss/spnego-fixtures.js';

const WINDOWS_MECHS = [GssMechOid.MS_KRB5, GssMechOid.KRB5, NEGOEX_OID, NTLMSSP_OID];

/** An HTTP Negotiate exchange as Windows runs it: NegTokenInit, NegTokenResp with the AP-REP and both mechListMICs. */
function httpExchange(etype: number) {
  const s = gssSession(etype);
  const mechTypes = encodeMechTypeList(WINDOWS_MECHS);
  const init = encodeSpnegoInitialToken({ negTokenInit: { mechTypes: WINDOWS_MECHS, mechToken: s.apReq } });
  const resp = encodeNegotiationToken({
    negTokenResp: {
      negState: NegState.ACCEPT_COMPLETED,
      supportedMech: GssMechOid.KRB5,
      responseToken: s.apRep!,
      mechListMIC: s.acceptor.getMic(mechTypes),
    },
  });
  const last = encodeNegotiationToken({ negTokenResp: { mechListMIC: s.initiator.getMic(mechTypes) } });
  const text = [
    'WWW-Authenticate: Negotiate',
    `Authorization: ${formatNegotiateHeader(init)}`,
    `WWW-Authenticate: ${formatNegotiateHeader(resp)}`,
    `Authorization: ${formatNegotiateHeader(last)}`,
  ].join('\r\n');
  return { s, init, resp, text: utf8(text) };
}

describe('describe: an HTTP Negotiate exchange, one header a line', () => {
  it.each([18, 23])(
    'etype %i: mechanisms named, tokens opened, both mechListMICs verified',
    async (etype) => {
      const { s, text } = httpExchange(etype);
      const r = await describeText(text, '--key', keyArg(s.serviceKey));
      expect(r.code).toBe(0);
      expect(r.out).toContain('input: 4 lines');
      expect(r.out).toContain(
        "line 1: WWW-Authenticate  — Negotiate without a token: the server's challenge",
      );
      expect(r.out).toContain(
        'SPNEGO: NegTokenInit: Microsoft Kerberos, Kerberos, NegoEx, NTLM  — RFC 4178 4.2.1; framed as an InitialContextToken',
      );
      expect(r.out).toContain(
        '[0]: Microsoft Kerberos (1.2.840.48018.1.2.2)  — Kerberos V5 under the OID Windows 2000 sent by mistake',
      );
      expect(r.out).toContain('[3]: NTLM (1.3.6.1.4.1.311.2.2.10)  — NTLM (MS-NLMP)');
      expect(r.out).toContain('mechToken: AP-REQ (TOK_ID 01 00)');
      expect(r.out).toContain('cksum: GSS-API checksum (0x8003)');
      expect(r.out).toContain(
        'SPNEGO: NegTokenResp: accept-completed  — RFC 4178 4.2.2; bare NegotiationToken',
      );
      expect(r.out).toContain('negState: accept-completed (0)  — the acceptor is done');
      expect(r.out).toContain('supportedMech: Kerberos (1.2.840.113554.1.2.2)');
      expect(r.out).toContain('responseToken: AP-REP (TOK_ID 02 00)');
      const mics = r.out.match(
        /checksum: verified {2}— over the MechTypeList of the NegTokenInit \(mechListMIC\)/g,
      );
      expect(mics).toHaveLength(2);
      if (etype === 18) {
        expect(r.out).toContain('mechListMIC: MIC (TOK_ID 04 04)');
        expect(r.out).toContain('usage 23 (MIC from the acceptor)');
        expect(r.out).toContain('usage 25 (MIC from the initiator)');
      } else expect(r.out).toContain('mechListMIC: rc4-hmac MIC (TOK_ID 01 01)');
    },
  );

  it('one line: `Negotiate <base64>` alone, with and without the header name', async () => {
    const { s, init } = httpExchange(18);
    for (const line of [formatNegotiateHeader(init), `Authorization: ${formatNegotiateHeader(init)}\n`]) {
      const r = await describeText(utf8(line), '--key', keyArg(s.serviceKey));
      expect(r.out.split('\n')[0]).toBe('input: Negotiate header');
      expect(r.out).toContain(`opened with session key from the ticket of alice@${REALM}, usage 11`);
    }
  });

  it('the same tokens as a binary file, hex and base64', async () => {
    const { init, resp } = httpExchange(18);
    expect((await describeText(init)).out).toContain('SPNEGO: NegTokenInit');
    expect((await describeText(utf8(toHex(resp)))).out).toContain('SPNEGO: NegTokenResp');
    expect((await describeText(utf8(toBase64(init)))).out.split('\n')[0]).toBe('input: base64 text');
  });

  it('a Negotiate line whose token is not base64 is refused with the check named', async () => {
    const r = await describeText(utf8('Authorization: Negotiate YII*'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Negotiate token is not standard padded base64');
  });
});

describe('describe: other SPNEGO tokens', () => {
  it("NegTokenInit2: a server's first token with Windows' placeholder hint", async () => {
    const t = encodeSpnegoInitialToken({
      negTokenInit2: { mechTypes: WINDOWS_MECHS, negHints: { hintName: NEG_HINTS_IGNORE_NAME } },
    });
    const r = await describeText(t);
    expect(r.out).toContain(
      'SPNEGO: NegTokenInit2: Microsoft Kerberos, Kerberos, NegoEx, NTLM  — MS-SPNG 2.2.1',
    );
    expect(r.out).toContain(`hintName: "${NEG_HINTS_IGNORE_NAME}"  — Windows' placeholder: to be ignored`);
  });

  it('reject, request-mic, and an NTLMSSP response token', async () => {
    const reject = encodeNegotiationToken({ negTokenResp: { negState: NegState.REJECT } });
    expect((await describeText(reject)).out).toContain('negState: reject (2)  — the acceptor refused');
    const ntlm = concat(utf8('NTLMSSP\0'), Uint8Array.of(2, 0, 0, 0), new Uint8Array(40));
    const resp = encodeNegotiationToken({
      negTokenResp: {
        negState: NegState.REQUEST_MIC,
        supportedMech: NTLMSSP_OID,
        responseToken: ntlm,
      },
    });
    const r = await describeText(resp);
    expect(r.out).toContain('negState: request-mic (3)');
    expect(r.out).toContain('responseToken: NTLMSSP CHALLENGE (type 2)  — NTLM, not Kerberos');
  });

  it('a bare NTLMSSP message in a Negotiate header: the client fell back to NTLM', async () => {
    const ntlm = concat(utf8('NTLMSSP\0'), Uint8Array.of(1, 0, 0, 0), new Uint8Array(24));
    const r = await describeText(utf8(`Authorization: Negotiate ${toBase64(ntlm)}`));
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'NTLMSSP: NTLMSSP NEGOTIATE (type 1)  — NTLM, not Kerberos: the client fell back',
    );
  });

  it('reqFlags named', async () => {
    const t = encodeSpnegoInitialToken({ negTokenInit: { mechTypes: [GssMechOid.KRB5], reqFlags: 0x22 } });
    expect((await describeText(t)).out).toContain('reqFlags: mutualFlag, confFlag');
  });
});

const KERBEROS_NET_TOKENS = [
  ['aes256-kerberos-data', 'aes256-key-data', 18, 'GSS-API token: AP-REQ (TOK_ID 01 00)'],
  ['aes128-kerberos-data', 'aes128-key-data', 17, 'GSS-API token: AP-REQ (TOK_ID 01 00)'],
  ['rc4-kerberos-data', 'rc4-key-data', 23, 'GSS-API token: AP-REQ (TOK_ID 01 00)'],
  ['aes256-spnego-data', 'aes256-key-data', 18, 'SPNEGO: NegTokenInit: Microsoft Kerberos, Kerberos, NTLM'],
  ['aes128-spnego-data', 'aes128-key-data', 17, 'SPNEGO: NegTokenInit: Microsoft Kerberos, Kerberos, NTLM'],
  ['rc4-spnego-data', 'rc4-key-data', 23, 'SPNEGO: NegTokenInit: Microsoft Kerberos, Kerberos, NTLM'],
] as const;

describe.skipIf(!HAVE_KERBEROS_NET)(
  'Windows tokens from Kerberos.NET (/work/shared/external-vectors)',
  () => {
    it.each(KERBEROS_NET_TOKENS)(
      '%s with %s: ticket, PAC and authenticator open',
      async (file, keyFile, etype, head) => {
        const key = `${etype}:${toHex(kerberosNetFile(keyFile))}`;
        const r = await describeText(kerberosNetFile(file), '--key', key);
        expect(r.code).toBe(0);
        expect(r.out).toContain(head);
        expect(r.out).toContain('EncTicketPart: user.test@DOMAIN.COM');
        expect(r.out).toContain('server: valid  — server signature verified');
        expect(r.out).toContain('opened with session key from the ticket of user.test@DOMAIN.COM, usage 11');
        expect(r.out).toContain('Flags: MUTUAL, INTEG (0x22)');
      },
    );

    it('RC4Header: an `Negotiate` header from Windows with channel bindings, opened with the password P@ssw0rd!', async () => {
      const r = await describeText(
        utf8(kerberosNetString('RC4Header')),
        '--password',
        'P@ssw0rd!',
        '--salt',
        'rc4 takes no salt',
      );
      expect(r.out.split('\n')[0]).toBe('input: Negotiate header');
      expect(r.out).toContain('[2]: NegoEx (1.3.6.1.4.1.311.2.2.30)');
      expect(r.out).toContain('EncTicketPart: Administrator@IDENTITYINTERVENTION.COM');
      expect(r.out).toMatch(/Bnd: [0-9a-f]{32} {2}— MD5 of the channel bindings/);
      expect(r.out).toContain('AD-AP-OPTIONS (143)');
    });

    it('TicketContainingDelegation: the delegated TGT in Deleg, opened with the session key', async () => {
      const r = await describeText(
        utf8(kerberosNetString('TicketContainingDelegation')),
        '--password',
        'P@ssw0rd!',
        '--salt',
        'rc4 takes no salt',
      );
      expect(r.out).toContain('Flags: DELEG, MUTUAL, REPLAY, SEQUENCE, CONF, INTEG, EXTENDED_ERROR (0x403f)');
      expect(r.out).toContain('Deleg: KRB-CRED, 1530 bytes');
      expect(r.out).toContain(
        'opened with session key from the ticket of Administrator@CORP.IDENTITYINTERVENTION.COM, usage 14 (KRB-CRED enc-part)',
      );
      expect(r.out).toContain(
        'ticket-info: krbtgt/CORP.IDENTITYINTERVENTION.COM@CORP.IDENTITYINTERVENTION.COM',
      );
    });

    it('ApReqWithoutPacLogonInfo: decoded; its parts stay closed without the key Kerberos.NET made it with', async () => {
      const r = await describeText(utf8(kerberosNetString('ApReqWithoutPacLogonInfo')));
      expect(r.out).toContain('SPNEGO: NegTokenInit: Kerberos');
      expect(r.out).toContain('host/appservice.corp.identityintervention.com');
      expect(r.out).toContain('closed: no aes256-cts-hmac-sha1-96 key at hand');
    });
  },
);
