import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derElement, isKdcMessageShape, StreamScanner, scanDatagram } from '../../src/pcap/content.js';
import { concat, toBase64, utf8 } from '../../src/util/bytes.js';
import { s4u2SelfExchange } from '../cli/fixtures.js';
import { record } from './fixtures.js';

const self = s4u2SelfExchange();
/** A krb5 GSS token's framing: [APPLICATION 0] with the krb5 OID; enough for the scanner, which reads no further. */
const TOKEN = Uint8Array.from([0x60, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02]);

/** A BER element. */
function ber(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(...content);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concat(Uint8Array.of(tag, ...len), body);
}
const int = (n: number) => ber(0x02, Uint8Array.of(n));
const str = (s: string) => ber(0x04, utf8(s));

/** LDAPMessage with a SASL BindRequest (RFC 4511 4.2). */
function bindRequest(id: number, mechanism: string, creds?: Uint8Array): Uint8Array {
  const sasl = ber(0xa3, str(mechanism), ...(creds === undefined ? [] : [ber(0x04, creds)]));
  return ber(0x30, int(id), ber(0x60, int(3), str(''), sasl));
}
/** LDAPMessage with a BindResponse (RFC 4511 4.2.2). */
function bindResponse(id: number, result: number, creds?: Uint8Array): Uint8Array {
  const fields = [ber(0x0a, Uint8Array.of(result)), str(''), str('')];
  if (creds !== undefined) fields.push(ber(0x87, creds));
  return ber(0x30, int(id), ber(0x61, ...fields));
}

function scanAll(s: StreamScanner, ...chunks: Uint8Array[]) {
  return chunks.flatMap((c) => s.push(c));
}

describe('KDC messages by content', () => {
  it('one DER element with a KDC message tag, exactly', () => {
    expect(isKdcMessageShape(self.request)).toBe(true);
    expect(isKdcMessageShape(self.reply)).toBe(true);
    expect(isKdcMessageShape(self.request.subarray(0, -1))).toBe(false);
    expect(isKdcMessageShape(concat(self.request, Uint8Array.of(0)))).toBe(false);
    expect(isKdcMessageShape(TOKEN)).toBe(false);
    expect(scanDatagram(self.request)).toEqual([{ carrier: 'kerberos', bytes: self.request }]);
    expect(scanDatagram(utf8('hello, world'))).toEqual([]);
  });

  it('DER lengths: short, long, and the forms refused', () => {
    expect(derElement(Uint8Array.of(0x30, 0x03))).toEqual({ header: 2, total: 5 });
    expect(derElement(Uint8Array.of(0x30, 0x82, 0x01, 0x00))).toEqual({ header: 4, total: 260 });
    expect(derElement(Uint8Array.of(0x30, 0x80))).toBeUndefined();
    expect(derElement(Uint8Array.of(0x30, 0x85, 1, 2, 3, 4, 5))).toBeUndefined();
    expect(derElement(Uint8Array.of(0x30))).toBeUndefined();
  });

  it('TCP records on any port, split anywhere across segments', () => {
    const stream = concat(record(self.request), record(self.reply));
    for (const cut of [1, 3, 5, 17, stream.length - 1]) {
      const s = new StreamScanner();
      const found = scanAll(s, stream.subarray(0, cut), stream.subarray(cut));
      expect(s.mode).toBe('kerberos');
      expect(found.map((f) => f.bytes)).toEqual([self.request, self.reply]);
    }
  });
});

describe('HTTP', () => {
  it('Negotiate tokens of requests and responses, with their roles', () => {
    const s = new StreamScanner();
    const found = scanAll(
      s,
      utf8(`GET /whoami HTTP/1.1\r\nHost: a\r\nAuthorization: Negotiate ${toBase64(TOKEN)}\r\n\r\n`),
    );
    expect(s.mode).toBe('http');
    expect(found).toEqual([{ carrier: 'http-negotiate', role: 'request', bytes: TOKEN }]);
    const back = new StreamScanner();
    const body = 'alice@MIT.TEST\n';
    expect(
      scanAll(
        back,
        utf8(`HTTP/1.1 200 OK\r\nWWW-Authenticate: Negotiate ${toBase64(TOKEN)}\r\n`),
        utf8(`Content-Length: ${body.length}\r\n\r\n${body}HTTP/1.1 401 Unauthorized\r\n`),
        utf8('WWW-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n'),
      ),
    ).toEqual([{ carrier: 'http-negotiate', role: 'reply', bytes: TOKEN }]);
  });

  it('KKDCP bodies over plain HTTP (MS-KKDCP 2.2.1), body split across segments', () => {
    const body = concat(Uint8Array.of(0x30, 0x03), Uint8Array.of(1, 2, 3));
    const s = new StreamScanner();
    const head = utf8(
      `POST /KdcProxy HTTP/1.1\r\nContent-Type: application/kerberos-session\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    expect(scanAll(s, head, body.subarray(0, 2), body.subarray(2))).toEqual([
      { carrier: 'kkdcp', role: 'request', bytes: body },
    ]);
  });
});

describe('HTTP bodies', () => {
  it('chunked bodies (RFC 9112 7.1): skipped, or collected for KKDCP; the next message still read', () => {
    const body = Uint8Array.of(0x30, 0x03, 1, 2, 3);
    const s = new StreamScanner();
    const found = scanAll(
      s,
      utf8('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
      utf8(
        'HTTP/1.1 200 OK\r\nContent-Type: application/kerberos-session\r\nTransfer-Encoding: chunked\r\n\r\n',
      ),
      utf8('2;x=y\r\n'),
      body.subarray(0, 2),
      utf8('\r\n3\r\n'),
      body.subarray(2),
      utf8('\r\n0\r\nX-Trailer: 1\r\n\r\n'),
      utf8(
        `HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate ${toBase64(TOKEN)}\r\nContent-Length: 0\r\n\r\n`,
      ),
    );
    expect(found).toEqual([
      { carrier: 'kkdcp', role: 'reply', bytes: body },
      { carrier: 'http-negotiate', role: 'reply', bytes: TOKEN },
    ]);
    expect(s.mode).toBe('http');
  });

  it('a large body that is not KKDCP is skipped without being held', () => {
    const s = new StreamScanner();
    s.push(utf8('HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n'));
    for (let i = 0; i < 30; i++) s.push(new Uint8Array(100_000));
    expect(
      s.push(utf8(`HTTP/1.1 200 OK\r\nWWW-Authenticate: Negotiate ${toBase64(TOKEN)}\r\n\r\n`)),
    ).toHaveLength(1);
  });
});

describe('LDAP SASL binds', () => {
  it('GSSAPI credentials of bind requests and responses; the empty steps kept; simple binds not', () => {
    const s = new StreamScanner();
    const found = scanAll(
      s,
      bindRequest(1, 'GSSAPI', TOKEN),
      bindRequest(2, 'GSSAPI'),
      bindRequest(3, 'EXTERNAL', utf8('x')),
    );
    expect(s.mode).toBe('ldap');
    expect(found).toEqual([
      { carrier: 'ldap-sasl', role: 'request', bytes: TOKEN },
      { carrier: 'ldap-sasl', role: 'request', bytes: new Uint8Array(0) },
    ]);
    const back = new StreamScanner();
    expect(scanAll(back, bindResponse(1, 14, TOKEN), bindResponse(2, 0))).toEqual([
      { carrier: 'ldap-sasl', role: 'reply', bytes: TOKEN },
      { carrier: 'ldap-sasl', role: 'reply', bytes: new Uint8Array(0) },
    ]);
  });

  it('a message split in two is read once whole', () => {
    const m = bindRequest(1, 'GSS-SPNEGO', TOKEN);
    const s = new StreamScanner();
    expect(s.push(m.subarray(0, 7))).toEqual([]);
    expect(s.push(m.subarray(7))).toHaveLength(1);
  });
});

describe('streams that carry none of these', () => {
  it.each([
    ['SSH', utf8('SSH-2.0-OpenSSH_9.2\r\n')],
    ['TLS', Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00)],
    ['a line that is no HTTP', utf8('HELLO there\r\n')],
  ])('%s: left alone', (_, bytes) => {
    const s = new StreamScanner();
    expect(s.push(bytes)).toEqual([]);
    expect(s.mode).toBe('other');
    expect(s.push(record(self.request))).toEqual([]);
  });

  it('hostile bytes: bounded, never a throw, only well-formed finds', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (chunks) => {
        const s = new StreamScanner();
        for (const f of scanAll(s, ...chunks)) {
          expect(['kerberos', 'http-negotiate', 'kkdcp', 'ldap-sasl']).toContain(f.carrier);
          if (f.carrier === 'kerberos') expect(isKdcMessageShape(f.bytes)).toBe(true);
        }
        for (const c of chunks) scanDatagram(c);
      }),
      { numRuns: 500 },
    );
  });

  it('a record or header larger than the bounds stops the stream', () => {
    const s = new StreamScanner();
    s.push(utf8(`GET / HTTP/1.1\r\nX: ${'a'.repeat(70_000)}`));
    expect(s.mode).toBe('other');
    const k = new StreamScanner();
    k.push(Uint8Array.of(0x00, 0x0f, 0xff, 0xff, 0x6a, 0x84));
    k.push(new Uint8Array(1024));
    expect(k.mode === 'other' || k.mode === 'kerberos').toBe(true);
  });
});
