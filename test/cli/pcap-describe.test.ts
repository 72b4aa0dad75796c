import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeAsRep,
  encodeAsReq,
  encodeEncAsRepPart,
  encodeEtypeInfo2,
  MessageType,
  NameType,
  PaDataType,
} from '../../src/asn1/index.js';
import { parseArgs } from '../../src/cli/args.js';
import { describeCommand } from '../../src/cli/commands/describe.js';
import { describePcap } from '../../src/cli/commands/describe-pcap.js';
import { main } from '../../src/cli/run.js';
import { encrypt, KeyUsage, stringToKey } from '../../src/crypto/index.js';
import { FormatError, KerberosError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';
import {
  ACK,
  ethernet,
  ipv4,
  pcapFile,
  pcapngSection,
  record,
  SYN,
  sll,
  tcp,
  udp,
} from '../pcap/fixtures.js';
import { fastAsExchange, fastS4u2SelfExchange } from './fast-fixtures.js';
import { krbtgtKey, openVector, REALM, s4u2ProxyExchange, s4u2SelfExchange, serviceKey } from './fixtures.js';
import { fakeIo } from './io.js';

async function run(files: Record<string, Uint8Array>, ...argv: string[]) {
  const io = fakeIo(files);
  const code = await describePcap('cap', parseArgs(argv, describeCommand.options, 'describe'), io);
  return { code, out: io.out };
}

const self = s4u2SelfExchange();
const proxy = s4u2ProxyExchange();
const KEYS = ['--key', `18:${toHex(krbtgtKey.bytes)}`, '--key', `23:${toHex(serviceKey.bytes)}`];

const udp4 = (src: string, sport: number, dst: string, dport: number, msg: Uint8Array): Uint8Array =>
  ethernet(0x0800, ipv4(src, dst, 17, udp(sport, dport, msg)));

/** S4U2Self over UDP, then S4U2Proxy over TCP in pieces (a pcap with Ethernet frames). */
function s4uCapture(): Uint8Array {
  const c = '10.0.0.5';
  const k = '10.0.0.1';
  const t = (
    from: string,
    fp: number,
    to: string,
    tp: number,
    seq: number,
    flags: number,
    d: Uint8Array,
  ): Uint8Array => ethernet(0x0800, ipv4(from, to, 6, tcp(fp, tp, seq, flags, d)));
  const req = record(proxy.request);
  const rep = record(proxy.reply);
  const frames = [
    udp4(c, 50000, k, 88, self.request),
    udp4(k, 88, c, 50000, self.reply),
    t(c, 40000, k, 88, 10, SYN, new Uint8Array(0)),
    t(c, 40000, k, 88, 11, ACK, req.subarray(0, 100)),
    t(c, 40000, k, 88, 111, ACK, req.subarray(100)),
    t(k, 88, c, 40000, 70, ACK, rep),
  ];
  return pcapFile({
    little: true,
    nano: false,
    linkType: 1,
    packets: frames.map((data, i) => ({ sec: 1700000000, frac: i * 1500, data })),
  });
}

const alice = { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] };
const krbtgt = { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] };

/** An AS exchange for alice whose reply is encrypted in the key of password "secret" with salt ACME.COMalice. */
function asExchange(): { request: Uint8Array; reply: Uint8Array } {
  const request = encodeAsReq({
    pvno: 5,
    msgType: MessageType.AS_REQ,
    reqBody: {
      kdcOptions: {},
      cname: alice,
      realm: REALM,
      sname: krbtgt,
      till: new Date('2021-08-16T00:00:00Z'),
      nonce: 5,
      etype: [18],
    },
  });
  const { ticket, part } = openVector('tgt_ticket', krbtgtKey);
  const enc = encodeEncAsRepPart({
    key: part.key,
    lastReq: [],
    nonce: 5,
    flags: part.flags,
    authtime: part.authtime,
    endtime: part.endtime,
    srealm: REALM,
    sname: krbtgt,
  });
  const key = stringToKey(18, 'secret', `${REALM}alice`);
  const reply = encodeAsRep({
    pvno: 5,
    msgType: MessageType.AS_REP,
    padata: [
      {
        padataType: PaDataType.ETYPE_INFO2,
        padataValue: encodeEtypeInfo2([{ etype: 18, salt: `${REALM}alice` }]),
      },
    ],
    crealm: REALM,
    cname: alice,
    ticket,
    encPart: {
      etype: 18,
      cipher: encrypt(key, KeyUsage.AsRepEncPart, enc, { random: (n) => new Uint8Array(n) }),
    },
  });
  return { request, reply };
}

/** An armored AS exchange, then an armored S4U2Self with implicit TGT armor, over UDP. */
function fastCapture(): Uint8Array {
  const as = fastAsExchange();
  const tgs = fastS4u2SelfExchange();
  const frames = [
    udp4('10.0.0.5', 50000, '10.0.0.1', 88, as.request),
    udp4('10.0.0.1', 88, '10.0.0.5', 50000, as.reply),
    udp4('10.0.0.5', 50001, '10.0.0.1', 88, tgs.request),
    udp4('10.0.0.1', 88, '10.0.0.5', 50001, tgs.reply),
  ];
  return pcapFile({
    little: true,
    nano: false,
    linkType: 1,
    packets: frames.map((data, i) => ({ sec: 1700000000, frac: i * 1000, data })),
  });
}

describe('tskrb describe --pcap: FAST-armored exchanges', () => {
  it('AS: the armor ticket opens, its authenticator subkey makes the armor key, the KrbFastReq and KrbFastResponse open, the AS-REP opens in the strengthened client key', async () => {
    const r = await run({ cap: fastCapture() }, ...KEYS);
    const as = r.out.slice(0, r.out.indexOf('#2 '));
    expect(as).toMatch(
      /enc-fast-req: .* opened with the FAST armor key, KRB-FX-CF2\(subkey from apache@ACME\.COM's authenticator, session key from the ticket of apache@ACME\.COM\), usage 51/,
    );
    expect(as).toMatch(/KrbFastReq +— the request the KDC acts on/);
    expect(as).toContain('PA-PAC-REQUEST (128)');
    expect(as).toMatch(/enc-fast-rep: .* opened with the FAST armor key.*usage 52/);
    expect(as).toMatch(/strengthen-key: \[key etype 18, 32 bytes\]/);
    expect(as).toMatch(/finished: 2021-08-15T19:21:41Z/);
    expect(as).toMatch(
      /enc-part: .* opened with the reply key strengthened by FAST \(from --key 2 \(rc4-hmac\)\), usage 3/,
    );
  });

  it('TGS with implicit armor (PA-FX-FAST before PA-TGS-REQ, as MIT sends it): the inner PA-FOR-USER shows and the TGS-REP opens in the strengthened subkey', async () => {
    const r = await run({ cap: fastCapture() }, ...KEYS);
    const tgs = r.out.slice(r.out.indexOf('#2 '));
    expect(tgs).toMatch(
      /enc-fast-req: .* opened with the FAST armor key, KRB-FX-CF2\(subkey from apache@ACME\.COM's authenticator, session key .*\), usage 51/,
    );
    expect(tgs).toContain('PA-FOR-USER (129)');
    expect(tgs).toMatch(/user: admin@ACME\.COM/);
    expect(tgs).toMatch(/enc-fast-rep: .* opened with the FAST armor key.*usage 52/);
    expect(tgs).toMatch(
      /enc-part: .* opened with the reply key strengthened by FAST \(from subkey from apache@ACME\.COM's authenticator\), usage 9/,
    );
    expect(r.out).not.toContain('closed:');
  });

  it("without the armor ticket's key the armored parts stay closed", async () => {
    const r = await run({ cap: fastCapture() }, '--key', `23:${toHex(serviceKey.bytes)}`);
    expect(r.out).toMatch(/enc-fast-req: .* closed: no aes256-cts-hmac-sha1-96 key at hand/);
    expect(r.out).not.toContain('KrbFastReq');
  });
});

describe('tskrb describe --pcap', () => {
  it('prints each exchange in order, explained, with the parts the keys open (keys learned flow forward)', async () => {
    const r = await run({ cap: s4uCapture() }, ...KEYS);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(
      'capture: pcap (little-endian), 1 interface, 6 packets; 4 Kerberos messages in 2 exchanges on ports 88, 10088, 10188, 10288',
    );
    expect(r.out).toMatch(
      /^#1 S4U2Self: UDP 10\.0\.0\.5:50000 → 10\.0\.0\.1:88 {2}— 2023-11-14T22:13:20\.000000Z, frames 1 → 2, reply after 1\.500 ms$/m,
    );
    expect(r.out).toMatch(
      /^#2 S4U2Proxy: TCP 10\.0\.0\.5:40000 → 10\.0\.0\.1:88 {2}— .*frames 5 → 6, reply after 1\.500 ms$/m,
    );
    expect(r.out).toMatch(/^├─ TGS-REQ/m);
    expect(r.out).toMatch(/^└─ TGS-REP/m);
    // The TGT opens with the krbtgt key; its session key opens the authenticator, whose subkey opens the S4U2Self reply.
    expect(r.out).toContain('opened with --key 1 (aes256-cts-hmac-sha1-96), usage 2');
    expect(r.out).toMatch(/enc-part: .* opened with subkey from .*usage 9/);
    // The S4U2Proxy reply opens with the TGT session key learned in exchange #1.
    expect(r.out).toMatch(/enc-part: .* opened with session key .*usage 8/);
    expect(r.out).not.toContain('warning:');
  });

  it('through the tskrb command line: describe --pcap FILE, exit 0; a bad capture exits 5 with one line', async () => {
    const io = fakeIo({ 'k.pcap': s4uCapture() });
    expect(await main(['describe', '--pcap', 'k.pcap', ...KEYS], io)).toBe(0);
    expect(io.out).toMatch(/^capture: pcap .* 2 exchanges/);
    expect(io.out).toContain('#2 S4U2Proxy: TCP');
    const bad = fakeIo({ 'bad.pcap': Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 9, 0) });
    expect(await main(['describe', '--pcap', 'bad.pcap'], bad)).toBe(5);
    expect(bad.err).toMatch(/^tskrb: pcap file header is cut short/);
  });

  it('without keys, the encrypted parts stay closed and say why', async () => {
    const r = await run({ cap: s4uCapture() });
    expect(r.out).toContain('closed: no aes256-cts-hmac-sha1-96 key at hand');
    expect(r.out).not.toContain('opened with');
  });

  it('--port replaces the default ports', async () => {
    const cap = pcapngSection({
      little: true,
      interfaces: [{ linkType: 113 }],
      packets: [
        { data: sll(0x0800, ipv4('10.0.0.5', '10.0.0.1', 17, udp(50000, 750, self.request))) },
        { data: sll(0x0800, ipv4('10.0.0.1', '10.0.0.5', 17, udp(750, 50000, self.reply))) },
      ],
    });
    expect((await run({ cap })).out).toContain(
      '0 Kerberos messages in 0 exchanges on ports 88, 10088, 10188, 10288',
    );
    const r = await run({ cap }, '--port', '750', '--port', '88');
    expect(r.out).toContain('2 Kerberos messages in 1 exchanges on ports 750, 88');
    expect(r.out).toContain('#1 S4U2Self: UDP 10.0.0.5:50000 → 10.0.0.1:750');
    await expect(run({ cap }, '--port', '70000')).rejects.toThrow(/--port 70000 is not a port number/);
  });

  it('without --port, Kerberos on other ports is found by content, and the summary names the ports', async () => {
    const cap = pcapngSection({
      little: true,
      interfaces: [{ linkType: 113 }],
      packets: [
        { data: sll(0x0800, ipv4('10.0.0.5', '10.0.0.1', 17, udp(50000, 21088, self.request))) },
        { data: sll(0x0800, ipv4('10.0.0.1', '10.0.0.5', 17, udp(21088, 50000, self.reply))) },
      ],
    });
    const r = await run({ cap }, ...KEYS);
    expect(r.out.split('\n')[0]).toBe(
      'capture: pcapng (little-endian), 1 interface, 2 packets; 0 Kerberos messages in 0 exchanges on ports 88, 10088, 10188, 10288; by content, 2 more in 1 exchanges on ports 21088',
    );
    expect(r.out).toContain('#1 S4U2Self: UDP 10.0.0.5:50000 → 10.0.0.1:21088 (found by content)');
    expect(r.out).toContain('opened with --key 1 (aes256-cts-hmac-sha1-96), usage 2');
    const json = await run({ cap }, '--json');
    expect(JSON.parse(json.out.split('\n')[0]!)).toMatchObject({
      records: 0,
      found: { records: 2, exchanges: 1, ports: [21088] },
    });
    expect(JSON.parse(json.out.split('\n')[1]!)).toMatchObject({
      carrier: 'kerberos',
      server: '10.0.0.1:21088',
    });
  });

  it('--password takes the salt from the capture and opens the AS-REP', async () => {
    const as = asExchange();
    const cap = pcapFile({
      little: false,
      nano: true,
      linkType: 101,
      packets: [
        { sec: 1, frac: 5, data: ipv4('10.0.0.5', '10.0.0.1', 17, udp(50000, 88, as.request)) },
        { sec: 1, frac: 1005, data: ipv4('10.0.0.1', '10.0.0.5', 17, udp(88, 50000, as.reply)) },
      ],
    });
    const r = await run({ cap }, '--password', 'secret');
    expect(r.out).toContain('#1 AS: UDP 10.0.0.5:50000 → 10.0.0.1:88');
    expect(r.out).toContain('reply after 0.001 ms');
    expect(r.out).toContain(`opened with the password (salt "${REALM}alice"), usage 3`);
    await expect(run({ cap: s4uCapture() }, '--password', 'secret')).rejects.toThrow(/needs --salt/);
  });

  it('a reply without its request, a request without reply, and bytes that are no Kerberos message', async () => {
    const cap = pcapFile({
      little: true,
      nano: false,
      linkType: 1,
      packets: [
        { sec: 1, frac: 0, data: udp4('10.0.0.1', 88, '10.0.0.5', 50000, self.reply) },
        { sec: 2, frac: 0, data: udp4('10.0.0.5', 50001, '10.0.0.1', 88, Uint8Array.of(1, 2, 3)) },
        { sec: 3, frac: 0, data: udp4('10.0.0.5', 50002, '10.0.0.1', 88, proxy.request) },
      ],
    });
    const r = await run({ cap });
    expect(r.out).toMatch(/#1 TGS-REP: .*\n├─ request: not in the capture\n└─ TGS-REP/);
    expect(r.out).toMatch(
      /#2 Kerberos: .*\n├─ undecodable: 3 bytes in frame 2 {2}— KerberosMessage at byte 0/,
    );
    expect(r.out).toMatch(/#3 S4U2Proxy: .*\n(.*\n)*└─ reply: not in the capture/);
  });

  it('--json: a capture line, then one line per exchange with the decoded values and explain trees', async () => {
    const r = await run({ cap: s4uCapture() }, '--json', ...KEYS);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ capture: { format: 'pcap', packets: 6 }, records: 4, warnings: [] });
    expect(lines.slice(1).map((l) => [l['exchange'], l['step'], l['transport']])).toEqual([
      [1, 'S4U2Self', 'udp'],
      [2, 'S4U2Proxy', 'tcp'],
    ]);
    expect(lines[1]).toMatchObject({
      request: { frame: 1, kind: 'TGS-REQ' },
      reply: { frame: 2, kind: 'TGS-REP' },
    });
    expect(JSON.stringify(lines[2])).toContain('opened with session key');
  });

  it('a file that is no capture is a FormatError; a truncated one is described up to the cut with a warning', async () => {
    await expect(run({ cap: Uint8Array.of(1, 2, 3, 4, 5) })).rejects.toBeInstanceOf(FormatError);
    const whole = s4uCapture();
    const r = await run({ cap: whole.subarray(0, whole.length - 10) });
    expect(r.out).toContain('3 Kerberos messages in 2 exchanges');
    expect(r.out).toMatch(/#2 S4U2Proxy: .*\n(.*\n)*└─ reply: not in the capture/);
    expect(r.out).toMatch(/warning: capture cut short inside packet 6/);
  });
});

describe('hostile captures', () => {
  const seeds = [
    s4uCapture(),
    pcapngSection({
      little: false,
      interfaces: [{ linkType: 1 }],
      packets: [{ data: udp4('1.1.1.1', 88, '2.2.2.2', 9, self.reply) }],
    }),
  ];

  async function onlyResultsOrFormatError(bytes: Uint8Array): Promise<void> {
    try {
      const r = await run({ cap: bytes }, ...KEYS);
      expect(r.code).toBe(0);
    } catch (e) {
      // Bad file structure is a FormatError; nothing else may escape (no RangeError, no TypeError).
      expect(e).toBeInstanceOf(FormatError);
      expect(e).toBeInstanceOf(KerberosError);
    }
  }

  it('property: random bytes, with or without a capture magic, only ever yield output or a FormatError', async () => {
    const magic = fc.constantFrom(
      [],
      [0xd4, 0xc3, 0xb2, 0xa1],
      [0xa1, 0xb2, 0x3c, 0x4d],
      [0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a],
    );
    await fc.assert(
      fc.asyncProperty(magic, fc.uint8Array({ maxLength: 400 }), async (m, rest) => {
        await onlyResultsOrFormatError(new Uint8Array([...m, ...rest]));
      }),
      { numRuns: 300 },
    );
  });

  it('property: mutated and truncated real captures only ever yield output or a FormatError', async () => {
    const mutation = fc.record({
      seed: fc.nat(seeds.length - 1),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.nat()),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ seed, flips, cut }) => {
        const bytes = seeds[seed]!.slice();
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        await onlyResultsOrFormatError(cut === null ? bytes : bytes.subarray(0, cut % bytes.length));
      }),
      { numRuns: 300 },
    );
  });
});
