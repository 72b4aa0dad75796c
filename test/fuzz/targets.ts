/**
 * Every decoder of hostile input, as a fuzz target with its seeds and the typed errors it may throw. The ASN.1
 * decoders are enumerated from the module's exports, so a new `decodeX` is fuzzed without editing this file.
 */
import fc from 'fast-check';
import * as A from '../../src/asn1/index.js';
import { renderTree } from '../../src/cli/render.js';
import { importKirbi, parseCcache, parseKeytab } from '../../src/creds/index.js';
import { decrypt, encrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import {
  Asn1DecodeError,
  CryptoError,
  FormatError,
  IntegrityError,
  KerberosError,
  PacDecodeError,
  ProtocolError,
  TransportError,
} from '../../src/errors.js';
import { ByteSpans } from '../../src/explain/byte-spans.js';
import { kerberosExchanges } from '../../src/explain/capture-exchanges.js';
import { detectInput } from '../../src/explain/detect.js';
import { type ExplainNode, explainAs } from '../../src/explain/explain.js';
import { decodeEData } from '../../src/messages/kdc-error.js';
import { parsePrincipal } from '../../src/messages/principal.js';
import { parseKdcReply } from '../../src/messages/reply.js';
import { decodePac, decodeSid, summarizePac, verifyPac } from '../../src/pac/index.js';
import { decompressXpressHuffman } from '../../src/pac/xpress-huffman.js';
import { readCapture } from '../../src/pcap/capture.js';
import { StreamScanner, scanDatagram } from '../../src/pcap/content.js';
import { TcpFrameReader } from '../../src/transport/framing.js';
import { krb5Settings, parseKdcAddress, parseKrb5Conf, peekKrbErrorCode } from '../../src/transport/index.js';
import { concat, fromBase64, fromHex, toBase64, toHex, utf8 } from '../../src/util/bytes.js';
import * as G from '../asn1/arbitraries.js';
import { compressXpressHuffman } from '../pac/xpress-compressor.js';
import { ethernet, ipv4, ipv6, pcapFile, pcapngSection, tcp, udp } from '../pcap/fixtures.js';
import { capturedOf, credsFixture, derCorpus, pacSeeds, type Seed } from './corpus.js';
import type { ErrorClass, FuzzInput, FuzzTarget } from './engine.js';
import { inputs, textInputs } from './mutate.js';

type Decoder = (b: Uint8Array) => unknown;
const MAX_SEEDS = 48;

const bytesOf = (x: FuzzInput): Uint8Array => (typeof x === 'string' ? utf8(x) : x);
const textOf = (x: FuzzInput): string => (typeof x === 'string' ? x : new TextDecoder().decode(x));

function binary(
  name: string,
  allowed: readonly ErrorClass[],
  seeds: readonly Seed[],
  run: Decoder,
): FuzzTarget {
  return { name, allowed, seeds: seeds.map((x) => x.bytes), gen: inputs(seeds), run: (x) => run(bytesOf(x)) };
}

function text(
  name: string,
  allowed: readonly ErrorClass[],
  seeds: readonly Seed[],
  run: (s: string) => unknown,
): FuzzTarget {
  const dec = new TextDecoder();
  return {
    name,
    allowed,
    seeds: seeds.map((x) => dec.decode(x.bytes)),
    gen: textInputs(seeds),
    run: (x) => run(textOf(x)),
  };
}

/** Arbitraries in test/asn1/arbitraries.ts not named after their type. */
const ARBITRARY_ALIASES: Record<string, string> = {
  EncAsRepPart: 'encKdcRepPart',
  EncTgsRepPart: 'encKdcRepPart',
  EncKdcRepPart: 'encKdcRepPart',
  PaSupportedEnctypes: 'supportedEnctypes',
  KerbAdRestrictions: 'kerbAdRestrictions',
};

/** Corpus seeds a decoder accepts, then values from the type's arbitrary (when one is named like the type). */
function seedsFor(typeName: string, decode: Decoder): Seed[] {
  const fromCorpus = derCorpus.filter((s) => {
    try {
      decode(s.bytes);
      return true;
    } catch {
      return false;
    }
  });
  const arbName = ARBITRARY_ALIASES[typeName] ?? typeName[0]!.toLowerCase() + typeName.slice(1);
  const arb = (G as Record<string, unknown>)[arbName];
  const encode = (A as Record<string, unknown>)[`encode${typeName}`];
  const generated: Seed[] =
    arb instanceof fc.Arbitrary && typeof encode === 'function'
      ? fc.sample(arb, { seed: 7, numRuns: 8 }).map((v, i) => ({
          name: `arbitrary ${arbName} #${i}`,
          bytes: (encode as (v: unknown) => Uint8Array)(v),
        }))
      : [];
  return [...fromCorpus.slice(0, MAX_SEEDS - generated.length), ...generated];
}

/** Names of every `decodeX` function exported by src/asn1/index.ts. */
export const asn1DecoderNames: readonly string[] = Object.keys(A)
  .filter((k) => k.startsWith('decode') && typeof (A as Record<string, unknown>)[k] === 'function')
  .sort();

const numbers = (o: Record<string, unknown>): number[] =>
  [...new Set(Object.values(o).filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
const PA_TYPES = numbers(A.PaDataType);
const AD_TYPES = numbers(A.AdType);

/**
 * decodePaValue / decodeAdValue take a type number: the first input byte picks it from the registry (the high bit
 * of a padata selector picks the request direction), the rest is the value. Seeds are every PA-DATA and
 * AuthorizationData entry found in the corpus.
 */
function typedValueTarget(which: 'decodePaValue' | 'decodeAdValue'): FuzzTarget {
  const types = which === 'decodePaValue' ? PA_TYPES : AD_TYPES;
  const seeds: Seed[] = [];
  for (const s of derCorpus) {
    const entries: [number, Uint8Array][] = [];
    try {
      if (which === 'decodePaValue') {
        const p = A.decodePaData(s.bytes);
        entries.push([p.padataType, p.padataValue]);
      } else for (const e of A.decodeAuthorizationData(s.bytes)) entries.push([e.adType, e.adData]);
    } catch {
      continue;
    }
    for (const [type, value] of entries) {
      const i = types.indexOf(type);
      if (i >= 0) seeds.push({ name: `${s.name} / type ${type}`, bytes: Uint8Array.of(i, ...value) });
    }
  }
  const run: Decoder = (b) => {
    if (b.length === 0) return undefined;
    const type = types[(b[0]! & 0x7f) % types.length]!;
    const value = b.subarray(1);
    return which === 'decodePaValue'
      ? A.decodePaValue(type, value, { direction: b[0]! & 0x80 ? 'request' : 'reply' })
      : A.decodeAdValue(type, value);
  };
  return binary(`asn1.${which}`, [Asn1DecodeError], seeds.slice(0, MAX_SEEDS), run);
}

function asn1Targets(): FuzzTarget[] {
  return asn1DecoderNames.map((name) => {
    if (name === 'decodePaValue' || name === 'decodeAdValue') return typedValueTarget(name);
    const decode = (A as Record<string, unknown>)[name] as Decoder;
    return binary(`asn1.${name}`, [Asn1DecodeError], seedsFor(name.slice('decode'.length), decode), decode);
  });
}

const PLAINTEXTS = capturedOf('EncKDCRepPart', 'EncTicketPart', 'Authenticator', 'PA-ENC-TS-ENC');
const ALL_CAPTURED_MESSAGES = capturedOf('AS-REQ', 'AS-REP', 'TGS-REQ', 'TGS-REP', 'KRB-ERROR');
const CIPHERTEXTS = ALL_CAPTURED_MESSAGES.filter((s) => s.bytes[0] === 0x6b || s.bytes[0] === 0x6d).map(
  (s) => {
    const m = A.decodeKerberosMessage(s.bytes);
    const rep = m.value as A.KdcRep;
    return { etype: rep.encPart.etype, seed: { name: `${s.name} enc-part`, bytes: rep.encPart.cipher } };
  },
);
const fixedKey = (etype: number): Key => {
  const len = etype === 17 || etype === 19 || etype === 23 ? 16 : 32;
  return new Key(
    etype,
    Uint8Array.from({ length: len }, (_, i) => i),
  );
};

/**
 * Decryption of hostile ciphertext with a fixed key: IntegrityError (or CryptoError for a bad length) only. Seeds:
 * the captured plaintexts encrypted in that key (so unmutated seeds decrypt), and the lab's real ciphertexts.
 */
function decryptTargets(): FuzzTarget[] {
  return [17, 18, 19, 20, 23].map((etype) => {
    const key = fixedKey(etype);
    const random = (n: number) => new Uint8Array(n).fill(7);
    const seeds = [
      ...PLAINTEXTS.slice(0, 4).map((p) => ({
        name: `${p.name} encrypted`,
        bytes: encrypt(key, KeyUsage.AsRepEncPart, p.bytes, { random }),
      })),
      ...CIPHERTEXTS.filter((c) => c.etype === etype).map((c) => c.seed),
    ];
    return binary(`crypto.decrypt(etype ${etype})`, [IntegrityError, CryptoError], seeds, (b) =>
      decrypt(key, KeyUsage.AsRepEncPart, b),
    );
  });
}

/** A TCP stream cut into chunks whose sizes come from the input's first byte. */
function framing(b: Uint8Array): unknown {
  const r = new TcpFrameReader(1 << 16);
  const step = 1 + ((b[0] ?? 0) % 7);
  for (let at = 0; at < b.length; at += step) if (r.push(b.subarray(at, at + step))) return r.announced;
  return undefined;
}

const KRB5_CONF_SAMPLE =
  '[libdefaults]\n default_realm = EXAMPLE.COM\n udp_preference_limit = 1\n[realms]\n EXAMPLE.COM = {\n' +
  '  kdc = kdc1.example.com:88\n  kdc = [::1]:750\n  admin_server = "kdc1 \\"x\\""\n  v4 = {\n   a = b\n  }\n }\n' +
  '[domain_realm]\n .example.com = EXAMPLE.COM\n';

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const ETHERTYPE_IPV4 = 0x0800;
const PSH_ACK = 0x18;

/** A TCP KDC message: the 4-byte length prefix, then the message. */
const framed = (m: Uint8Array): Uint8Array =>
  Uint8Array.of(m.length >>> 24, (m.length >>> 16) & 255, (m.length >>> 8) & 255, m.length & 255, ...m);

/** Captures of recorded MIT exchanges: UDP over Ethernet/IPv4 (libpcap), TCP over raw IPv6 (pcapng). */
/** Streams of each kind the content scanner reads: Kerberos TCP records, HTTP with Negotiate and KKDCP, LDAP binds. */
function streamSeeds(): Seed[] {
  const m = ALL_CAPTURED_MESSAGES[0]!.bytes;
  const token = toBase64(m);
  // LDAPMessage 1: BindRequest v3, name "", SASL GSSAPI with a 2-byte credential (RFC 4511 4.2).
  const ldapBind = fromHex('3018 020101 6013 020103 0400 a30c 0406 475353415049 0402 aabb');
  return [
    { name: 'TCP record', bytes: framed(m) },
    { name: 'HTTP Negotiate', bytes: utf8(`GET / HTTP/1.1\r\nAuthorization: Negotiate ${token}\r\n\r\n`) },
    {
      name: 'HTTP KKDCP',
      bytes: concat(
        utf8(
          `POST /KdcProxy HTTP/1.1\r\nContent-Type: application/kerberos-session\r\nContent-Length: ${m.length}\r\n\r\n`,
        ),
        m,
      ),
    },
    { name: 'LDAP bind', bytes: ldapBind },
  ];
}

/** LZ77+Huffman streams from the test compressor and the Windows claims sample, each after its 4-byte size. */
function xpressSeeds(): Seed[] {
  const sized = (data: Uint8Array, packed: Uint8Array): Uint8Array => {
    const out = new Uint8Array(4 + packed.length);
    new DataView(out.buffer).setUint32(0, data.length);
    out.set(packed, 4);
    return out;
  };
  const texts = [
    utf8('abc'.repeat(100)),
    utf8('ad://ext/department '.repeat(20)),
    new Uint8Array(600).fill(7),
  ];
  return texts.map((t, i) => ({ name: `compressed #${i}`, bytes: sized(t, compressXpressHuffman(t)) }));
}

function pcapSeeds(): Seed[] {
  const msgs = ALL_CAPTURED_MESSAGES.slice(0, 6).map((s) => s.bytes);
  const udpFile = pcapFile({
    little: true,
    nano: false,
    linkType: LINKTYPE_ETHERNET,
    packets: msgs.map((m, i) => ({
      sec: 1_700_000_000 + i,
      frac: 0,
      data: ethernet(
        ETHERTYPE_IPV4,
        ipv4('10.0.0.1', '10.0.0.2', IPPROTO_UDP, i % 2 ? udp(88, 50000, m) : udp(50000, 88, m)),
      ),
    })),
  });
  let seq = [1000, 9000];
  const tcpFile = pcapngSection({
    little: false,
    interfaces: [{ linkType: LINKTYPE_RAW }],
    packets: msgs.map((m, i) => {
      const up = i % 2 === 0;
      const data = framed(m);
      const seg = up ? tcp(50001, 88, seq[0]!, PSH_ACK, data) : tcp(88, 50001, seq[1]!, PSH_ACK, data);
      seq = up ? [seq[0]! + data.length, seq[1]!] : [seq[0]!, seq[1]! + data.length];
      return {
        data: up
          ? ipv6('fd00::1', 'fd00::2', IPPROTO_TCP, seg)
          : ipv6('fd00::2', 'fd00::1', IPPROTO_TCP, seg),
      };
    }),
  });
  return [
    { name: 'libpcap: UDP Kerberos over Ethernet/IPv4', bytes: udpFile },
    { name: 'pcapng: TCP Kerberos over raw IPv6', bytes: tcpFile },
  ];
}

/** Every target. */
export function allTargets(): FuzzTarget[] {
  const pacs = pacSeeds();
  const pacKey = new Key(18, new Uint8Array(32));
  const conf = [...capturedOf('krb5.conf'), { name: 'sample krb5.conf', bytes: utf8(KRB5_CONF_SAMPLE) }];
  const ccaches = capturedOf('ccache');
  const keytabs = [...capturedOf('keytab'), credsFixture('ktutil-aes.keytab')];
  const kirbis = capturedOf('kirbi');
  const describeSeeds = [
    ...ALL_CAPTURED_MESSAGES,
    ...capturedOf('EncKDCRepPart', 'EncTicketPart', 'Authenticator', 'ccache', 'keytab', 'kirbi'),
    ...pacs.slice(0, 4),
    ...ALL_CAPTURED_MESSAGES.slice(0, 4).map((s) => ({
      name: `${s.name} as hex`,
      bytes: utf8(toHex(s.bytes)),
    })),
    ...ALL_CAPTURED_MESSAGES.slice(0, 4).map((s) => ({
      name: `${s.name} as base64`,
      bytes: utf8(toBase64(s.bytes)),
    })),
  ];
  const principals = ['alice@MIT.TEST', 'HTTP/web.mit.test@MIT.TEST', 'a\\/b@R', 'x@y@Z'].map((p) => ({
    name: p,
    bytes: utf8(p),
  }));
  const addresses = ['kdc.example.com:88', '[::1]:750', 'tcp/127.0.0.1:10088', 'https://proxy/KdcProxy'].map(
    (p) => ({ name: p, bytes: utf8(p) }),
  );
  const replies = ALL_CAPTURED_MESSAGES.filter((s) => [0x6b, 0x6d, 0x7e].includes(s.bytes[0]!));
  const eData = ALL_CAPTURED_MESSAGES.flatMap((s) => {
    if (s.bytes[0] !== 0x7e) return [];
    const e = A.decodeKrbError(s.bytes).eData;
    return e ? [{ name: `${s.name} e-data`, bytes: e }] : [];
  });
  return [
    ...asn1Targets(),
    binary('pac.decodePac', [PacDecodeError], pacs, decodePac),
    binary('pac.decodePac+summarizePac+verifyPac', [PacDecodeError], pacs, (b) => {
      const pac = decodePac(b);
      return [summarizePac(pac), verifyPac(pac, { serverKeys: pacKey, kdcKeys: pacKey })];
    }),
    binary(
      'pac.decodeSid',
      [PacDecodeError],
      [
        {
          name: 'S-1-5-21-1-2-3-500',
          bytes: fromHex('010500000000000515000000010000000200000003000000f4010000'),
        },
      ],
      decodeSid,
    ),
    binary('creds.parseKeytab', [FormatError], keytabs, parseKeytab),
    binary('creds.parseCcache', [FormatError], ccaches, parseCcache),
    binary('creds.importKirbi', [Asn1DecodeError, FormatError], kirbis, importKirbi),
    text('transport.parseKrb5Conf+krb5Settings', [FormatError], conf, (s) => krb5Settings(parseKrb5Conf(s))),
    text('transport.parseKdcAddress', [FormatError], addresses, (s) => parseKdcAddress(s)),
    binary('transport.peekKrbErrorCode', [], replies, peekKrbErrorCode),
    binary('transport.TcpFrameReader', [TransportError], replies, framing),
    binary('messages.parseKdcReply(AS-REP)', [Asn1DecodeError, ProtocolError], replies, (b) =>
      parseKdcReply(b, 'AS-REP'),
    ),
    binary('messages.parseKdcReply(TGS-REP)', [Asn1DecodeError, ProtocolError], replies, (b) =>
      parseKdcReply(b, 'TGS-REP'),
    ),
    binary('messages.decodeEData', [], eData, decodeEData),
    text('messages.parsePrincipal', [KerberosError], principals, (s) =>
      parsePrincipal(s, { defaultRealm: 'R' }),
    ),
    ...decryptTargets(),
    text(
      'util.fromHex',
      [KerberosError],
      ALL_CAPTURED_MESSAGES.slice(0, 2).map((s) => ({ ...s, bytes: utf8(toHex(s.bytes)) })),
      fromHex,
    ),
    text(
      'util.fromBase64',
      [KerberosError],
      ALL_CAPTURED_MESSAGES.slice(0, 2).map((s) => ({ ...s, bytes: utf8(toBase64(s.bytes)) })),
      fromBase64,
    ),
    binary('cli.pcap (readCapture+kerberosExchanges)', [FormatError], pcapSeeds(), (b) =>
      kerberosExchanges(readCapture(b), new Set([88])),
    ),
    binary('pcap by content (readCapture+kerberosExchanges scan)', [FormatError], pcapSeeds(), (b) =>
      kerberosExchanges(readCapture(b), new Set([1]), { scan: true }),
    ),
    binary('pcap.StreamScanner+scanDatagram (HTTP, LDAP, TCP records)', [], streamSeeds(), (b) => {
      const s = new StreamScanner();
      const half = b.length >> 1;
      return [...s.push(b.subarray(0, half)), ...s.push(b.subarray(half)), ...scanDatagram(b)];
    }),
    binary('pac.decompressXpressHuffman (size, then stream)', [PacDecodeError], xpressSeeds(), (b) => {
      if (b.length < 4) return undefined;
      // The size is hostile too; kept under 2 MiB so that each run allocates little (the bound is tested apart).
      const size = new DataView(b.buffer, b.byteOffset).getUint32(0) & 0x1fffff;
      return decompressXpressHuffman(b.subarray(4), size);
    }),
    binary(
      'cli.describe (detectInput+explain+render)',
      [FormatError, Asn1DecodeError, PacDecodeError],
      describeSeeds,
      (b) => {
        const d = detectInput(b);
        return renderTree(explainAs(d.name, d.value));
      },
    ),
    binary(
      'explain with byte spans (every span inside its buffer)',
      [FormatError, Asn1DecodeError, PacDecodeError],
      describeSeeds,
      (b) => {
        const spans = new ByteSpans();
        const d = detectInput(b, { spans: spans.table });
        const tree = explainAs(d.name, d.value, { spans });
        const check = (n: ExplainNode): void => {
          const s = n.span;
          const size = s === undefined ? 0 : spans.buffers[s.buffer]?.bytes.length;
          if (s !== undefined && (size === undefined || s.offset < 0 || s.offset + s.length > size))
            throw new RangeError(`span of ${n.label} outside its buffer`);
          for (const c of n.children ?? []) check(c);
        };
        check(tree);
        return tree;
      },
    ),
  ];
}
