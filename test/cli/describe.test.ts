import { describe, expect, it } from 'vitest';
import {
  encodeAsRep,
  encodeAsReq,
  encodeEncAsRepPart,
  encodeEncryptedData,
  encodeEtypeInfo2,
  encodeKrbError,
  encodeMethodData,
  encodePaEncTsEnc,
  MessageType,
  NameType,
  PaDataType,
} from '../../src/asn1/index.js';
import { main } from '../../src/cli/run.js';
import { encrypt, KeyUsage, stringToKey } from '../../src/crypto/index.js';
import { toBase64, toHex, utf8 } from '../../src/util/bytes.js';
import { ethernet, ipv4, pcapFile, udp } from '../pcap/fixtures.js';
import { labKeytab, tgtCcache, tgtKirbi } from './creds-fixtures.js';
import { krbtgtKey, openVector, REALM, s4u2SelfExchange, serviceKey } from './fixtures.js';
import { fakeIo } from './io.js';

const fixed = (n: number): Uint8Array => new Uint8Array(n).fill(3);
const alice = { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] };
const krbtgt = { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] };
const aliceKey = stringToKey(18, 'secret', `${REALM}alice`);

function asReq(): Uint8Array {
  const ts = encodePaEncTsEnc({ patimestamp: new Date('2021-08-15T19:21:30Z'), pausec: 5 });
  const enc = { etype: 18, cipher: encrypt(aliceKey, KeyUsage.AsReqPaEncTimestamp, ts, { random: fixed }) };
  return encodeAsReq({
    pvno: 5,
    msgType: MessageType.AS_REQ,
    padata: [{ padataType: PaDataType.ENC_TIMESTAMP, padataValue: encodeEncryptedData(enc) }],
    reqBody: {
      kdcOptions: { forwardable: true },
      cname: alice,
      realm: REALM,
      sname: krbtgt,
      till: new Date('2021-08-16T00:00:00Z'),
      nonce: 5,
      etype: [18],
    },
  });
}

/** An AS-REP to alice carrying the vector TGT, ETYPE-INFO2 with her salt, and the enc-part in her key. */
function asRep(): Uint8Array {
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
  return encodeAsRep({
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
    encPart: { etype: 18, cipher: encrypt(aliceKey, KeyUsage.AsRepEncPart, enc, { random: fixed }) },
  });
}

function preauthRequired(): Uint8Array {
  const eData = encodeMethodData([
    {
      padataType: PaDataType.ETYPE_INFO2,
      padataValue: encodeEtypeInfo2([{ etype: 18, salt: `${REALM}alice` }]),
    },
    { padataType: PaDataType.ENC_TIMESTAMP, padataValue: new Uint8Array(0) },
  ]);
  return encodeKrbError({
    pvno: 5,
    msgType: MessageType.KRB_ERROR,
    stime: new Date('2021-08-15T19:21:30Z'),
    susec: 0,
    errorCode: 25,
    realm: REALM,
    sname: krbtgt,
    eData,
  });
}

async function describeOf(files: Record<string, Uint8Array>, ...argv: string[]) {
  const io = fakeIo(files);
  const code = await main(['describe', ...argv], io);
  return { code, out: io.out, err: io.err };
}

describe('tskrb describe: credential files', () => {
  it('a ccache: each credential, flags spelled out, the TGT opened with a keytab, its PAC shown; keys hidden', async () => {
    const r = await describeOf({ cc: tgtCcache(), kt: labKeytab() }, 'cc', '--keytab', 'kt');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ccache: version 0x504, 1 ticket');
    expect(r.out).toContain(`default principal: apache@${REALM}`);
    expect(r.out).toContain('flags: forwardable, renewable, initial, pre-authent, enc-pa-rep');
    expect(r.out).toContain(`config: fast_avail (krbtgt/${REALM}@${REALM}) = "yes"`);
    expect(r.out).toContain(`opened with kt key of krbtgt/${REALM}@${REALM} kvno 2, usage 2`);
    expect(r.out).toContain('identity: authentication authority asserted identity (S-1-18-1)');
    expect(r.out).toMatch(/signatures: verified\n.*server: valid.*\n.*KDC: valid/);
    expect(r.out).toContain('session key: [key etype 18, 32 bytes]');
    expect(r.out).not.toContain(toHex(openVector('tgt_ticket', krbtgtKey).part.key.keyvalue));
  });

  it('a keytab: entries with principal, kvno and enctype; key bytes only with --show-keys', async () => {
    const hidden = await describeOf({ kt: labKeytab() }, 'kt');
    expect(hidden.out).toContain('keytab: version 0x502, 3 entries');
    expect(hidden.out).toContain(`entry: apache@${REALM}`);
    expect(hidden.out).toContain('key: [key etype 23, 16 bytes]  — rc4-hmac');
    expect(hidden.out).not.toContain(toHex(serviceKey.bytes));
    const shown = await describeOf({ kt: labKeytab() }, 'kt', '--show-keys');
    expect(shown.out).toContain(`key: etype 23 ${toHex(serviceKey.bytes)}`);
  });

  it('a kirbi: the KRB-CRED part in the clear shows the session key (hidden) and the ticket', async () => {
    const r = await describeOf({ k: tgtKirbi() }, 'k');
    expect(r.code).toBe(0);
    expect(r.out).toContain('KRB-CRED: 1 ticket');
    expect(r.out).toContain('not encrypted (etype 0): anyone holding the file can read the session keys');
    expect(r.out).toContain(`ticket-info: krbtgt/${REALM}@${REALM}`);
  });
});

describe('tskrb describe: messages', () => {
  it('a TGS-REQ as hex text: the TGT opens with the krbtgt key, then the authenticator with the learned session key', async () => {
    const r = await describeOf(
      { req: utf8(toHex(s4u2SelfExchange().request)) },
      'req',
      '--key',
      `aes256:${toHex(krbtgtKey.bytes)}`,
    );
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('input: hex text');
    expect(r.out).toContain('opened with --key 1 (aes256-cts-hmac-sha1-96), usage 2 (ticket, service key)');
    expect(r.out).toContain(`opened with session key from the ticket of apache@${REALM}, usage 7`);
    expect(r.out).toContain(`user: admin@${REALM}  — NT-PRINCIPAL; the identity the service asserts`);
  });

  it('an AS-REP with --password: the salt comes from its ETYPE-INFO2, the enc-part opens with usage 3', async () => {
    const r = await describeOf({ rep: asRep() }, 'rep', '--password', 'secret');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `opened with the password (salt "${REALM}alice"), usage 3 (AS-REP enc-part, client key)`,
    );
    expect(r.out).toContain('iterations: 4096  — default');
  });

  it('an AS-REQ from standard input as base64: PA-ENC-TIMESTAMP opens with the password key (usage 1)', async () => {
    const io = fakeIo({}, utf8(toBase64(asReq())));
    const code = await main(['describe', '-', '--password', 'secret', '--salt', `${REALM}alice`], io);
    expect(code).toBe(0);
    expect(io.out).toContain('PA-ENC-TS-ENC: 2021-08-15T19:21:30Z');
  });

  it('a KRB-ERROR: the error name, the hint, and the METHOD-DATA e-data', async () => {
    const r = await describeOf({ e: preauthRequired() }, 'e');
    expect(r.out).toContain(
      'error-code: KDC_ERR_PREAUTH_REQUIRED (25)  — pre-authentication required but no usable method',
    );
    expect(r.out).toContain('PA-ETYPE-INFO2 (19)');
    expect(r.out).toContain('PA-ENC-TIMESTAMP (2)');
  });

  it('--json prints one line with the decoded value and the tree, keys redacted', async () => {
    const r = await describeOf({ cc: tgtCcache() }, 'cc', '--json');
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!) as {
      kind: string;
      encoding: string;
      value: { credentials: { key: { bytes: string } }[] };
      explain: { label: string };
    };
    expect(j.kind).toBe('Ccache');
    expect(j.encoding).toBe('binary');
    expect(j.value.credentials[0]!.key.bytes).toBe('[key, 32 bytes]');
    expect(j.explain.label).toBe('ccache');
  });
});

/** A libpcap capture of the S4U2Self exchange over UDP to `port`, on Ethernet. */
function capture(port: number): Uint8Array {
  const x = s4u2SelfExchange();
  const frame = (src: string, dst: string, sp: number, dp: number, msg: Uint8Array) =>
    ethernet(0x0800, ipv4(src, dst, 17, udp(sp, dp, msg)));
  return pcapFile({
    little: true,
    nano: false,
    linkType: 1,
    packets: [
      { sec: 1_700_000_000, frac: 0, data: frame('10.0.0.5', '10.0.0.1', 50000, port, x.request) },
      { sec: 1_700_000_000, frac: 2000, data: frame('10.0.0.1', '10.0.0.5', port, 50000, x.reply) },
    ],
  });
}

describe('tskrb describe --pcap', () => {
  it('explains the exchange of a capture, the TGT opened with the krbtgt key given', async () => {
    const io = fakeIo({ 'c.pcap': capture(88) });
    const key = `${krbtgtKey.etype}:${toHex(krbtgtKey.bytes)}`;
    expect(await main(['describe', '--pcap', 'c.pcap', '--key', key], io)).toBe(0);
    expect(io.err).toBe('');
    expect(io.out).toContain('TGS-REQ');
    expect(io.out).toContain('TGS-REP');
    expect(io.out).toMatch(/opened with --key 1/);
  });

  it('follows only the ports given with --port', async () => {
    const io = fakeIo({ 'c.pcap': capture(10088) });
    expect(await main(['describe', '--pcap', 'c.pcap', '--port', '10088'], io)).toBe(0);
    expect(io.out).toContain('TGS-REQ');
    const none = fakeIo({ 'c.pcap': capture(10088) });
    expect(await main(['describe', '--pcap', 'c.pcap', '--port', '88'], none)).toBe(0);
    expect(none.out).not.toContain('TGS-REQ');
  });
});

describe('tskrb describe: errors', () => {
  it.each([
    [['describe'], 1, 'describe: name a file, or - for standard input'],
    [['describe', 'a', 'b'], 1, 'describe: one input at a time (got 2)'],
    [['describe', 'kt', '--salt', 'S'], 1, 'describe: --salt needs --password'],
    [['describe', 'kt', '--key', 'blowfish:00'], 1, "--key: unknown enctype 'blowfish'"],
    [['describe', 'kt', '--bogus'], 1, 'describe: unknown option --bogus'],
    [['describe', 'junk'], 5, 'not a keytab, ccache, Kerberos message, KDC-PROXY-MESSAGE or PAC'],
    [['describe', 'cut'], 5, 'TGS-REQ'],
    [['describe', 'kt', '--pcap', 'cap'], 1, 'describe: --pcap reads the capture; give no other input'],
    [['describe', 'kt', '--port', '88'], 1, 'describe: --port goes with --pcap'],
    [['describe', '--pcap', 'junk'], 5, ''],
  ])('%j exits %i with one line on stderr', async (argv, code, message) => {
    const io = fakeIo({
      kt: labKeytab(),
      cap: capture(88),
      junk: Uint8Array.of(0xff, 1, 2, 3, 4, 5, 6, 7, 8),
      cut: s4u2SelfExchange().request.subarray(0, 60),
    });
    expect(await main(argv, io)).toBe(code);
    expect(io.err).toContain(message);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    expect(io.err.startsWith('tskrb: ')).toBe(true);
  });
});
