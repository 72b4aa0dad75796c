// Recognising GSS-API and SPNEGO inputs: framed and bare tokens, Negotiate header lines, several tokens a line.
import { describe, expect, it } from 'vitest';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { detectInput } from '../../src/explain/detect.js';
import {
  GssKind,
  type GssTokenValue,
  type InputLine,
  sniffGss,
  textLines,
} from '../../src/explain/detect-gss.js';
import { GssMechOid, GssTokenId } from '../../src/gss/constants.js';
import { encodeNegotiationToken, NegState } from '../../src/gss/spnego-codec.js';
import { toBase64, toHex, utf8 } from '../../src/util/bytes.js';
import { labKeytab, tgtCcache } from '../cli/creds-fixtures.js';
import { gssSession } from '../cli/gss-fixtures.js';

const s = gssSession(18);
const wrap = s.acceptor.wrap(utf8('reply'));
const mic = s.initiator.getMic(utf8('request'));
const resp = encodeNegotiationToken({ negTokenResp: { negState: NegState.ACCEPT_COMPLETED } });

describe('sniffGss', () => {
  it.each([
    ['AP-REQ', s.apReq, GssTokenId.AP_REQ, GssMechOid.KRB5],
    ['AP-REP', s.apRep!, GssTokenId.AP_REP, GssMechOid.KRB5],
    ['Wrap (bare)', wrap, GssTokenId.WRAP, undefined],
    ['MIC (bare)', mic, GssTokenId.MIC, undefined],
  ])('%s: a GSS-API token with its TOK_ID and framing', (_, b, tokId, mechOid) => {
    const g = sniffGss(b);
    expect(g?.name).toBe(GssKind.TOKEN);
    const v = g?.value as GssTokenValue;
    expect(v.tokId).toBe(tokId);
    expect(v.mechOid).toBe(mechOid);
  });

  it('SPNEGO framed and bare', () => {
    expect(sniffGss(resp)?.name).toBe(GssKind.SPNEGO);
    // With the token's bytes as received, for byte spans.
    expect(sniffGss(resp)?.value).toEqual({
      framed: false,
      token: { negTokenResp: { negState: 0 } },
      bytes: resp,
    });
  });

  it('keytabs and v4 ccaches (05 02, 05 04) are not tokens', () => {
    expect(sniffGss(labKeytab())).toBeUndefined();
    expect(sniffGss(tgtCcache())).toBeUndefined();
    expect(detectInput(tgtCcache()).name).toBe('Ccache');
  });
});

describe('Negotiate header lines', () => {
  const b64 = toBase64(s.apReq);
  it.each([
    `Negotiate ${b64}`,
    `Authorization: Negotiate ${b64}`,
    `www-authenticate:negotiate ${b64}`,
    `  Proxy-Authorization: Negotiate ${b64}\r\n`,
  ])('%s', (line) => {
    const d = detectInput(utf8(line));
    expect(d.encoding).toBe('negotiate');
    expect(d.name).toBe(GssKind.TOKEN);
  });

  it('header names, bare challenges and comments', () => {
    const lines = textLines(
      utf8(`# capture\nWWW-Authenticate: Negotiate\n\nAuthorization: Negotiate ${b64}\n`),
    );
    expect(lines?.map((l) => [l.line, l.header, l.token?.length])).toEqual([
      [2, 'WWW-Authenticate', undefined],
      [4, 'Authorization', s.apReq.length],
    ]);
  });

  it('a token that is not base64 is a ProtocolError', () => {
    expect(() => detectInput(utf8('Negotiate ####'))).toThrow(ProtocolError);
  });
});

describe('several tokens, one a line', () => {
  it('hex lines that do not decode as a whole become one input each', () => {
    const d = detectInput(utf8([s.apReq, s.apRep!, wrap, mic].map(toHex).join('\n')));
    expect(d.name).toBe(GssKind.LINES);
    const inputs = d.value as InputLine<{ name: string }>[];
    expect(inputs.map((i) => i.detected?.name)).toEqual([
      GssKind.TOKEN,
      GssKind.TOKEN,
      GssKind.TOKEN,
      GssKind.TOKEN,
    ]);
  });

  it('a line that is no token keeps its bytes (a message a MIC may cover)', () => {
    const d = detectInput(utf8([toHex(s.apReq), toHex(utf8('hello'))].join('\n')));
    const [, data] = d.value as InputLine<unknown>[];
    expect(data?.bytes).toEqual(utf8('hello'));
    expect(data?.error).toContain('not a keytab, ccache');
  });

  it('base64 wrapped over lines is still one input; lines of nothing known stay an error', () => {
    const wrapped = toBase64(s.apReq).replace(/(.{64})/g, '$1\n');
    expect(detectInput(utf8(wrapped)).name).toBe(GssKind.TOKEN);
    expect(() => detectInput(utf8('00112233\n44556677\n'))).toThrow(FormatError);
  });
});
