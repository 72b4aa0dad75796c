/**
 * Side-by-side crypto comparison, one run: tskrb on the node backend, tskrb on the pure backend, MIT krb5's own
 * krb5_k_* calls (bench/mit/krb5-bench.c, built against libkrb5-dev when present) and the raw node:crypto floor
 * (one AES-CBC + one HMAC on the same sizes; one HMAC for checksums; pbkdf2Sync for string-to-key). `cold` is a
 * decrypt with a Key made for the call (Ke and Ki derived each time, as for a fresh subkey), against the same floor.
 * Every timing is the best of several batches, contenders interleaved batch by batch, warm keys, key usage 3.
 * Run through `npm run bench` (scripts/bench-vs-mit.mjs compiles this file into .bench/; the file builds the C harness there).
 * Options: --ms N (time per contender and case), --only SUBSTR (filter cases, e.g. decrypt:18), --rounds N,
 * --contenders node,pure,floor,mit (for profiling one of them with node --cpu-prof), --json.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import {
  checksumTypeOf,
  decrypt,
  EncType,
  encrypt,
  Key,
  makeChecksum,
  setCryptoBackend,
  stringToKey,
} from '../src/crypto/index.js';
import { arg, batch, buildMitHarness, calibrate, formatNs, formatRatio, printTable } from './vs-mit.js';

type Op = 'decrypt' | 'encrypt' | 'checksum' | 'cold' | 's2k';
type Contender = 'floor' | 'node' | 'pure' | 'mit';

/**
 * What the raw node:crypto floor uses for each enctype (the CBC cipher, the HMAC hash and Ki size), and the PBKDF2
 * count s2k runs at: the enctype's default (RFC 3962 4, RFC 8009 4), since MIT refuses fewer for 19 and 20.
 */
const ETYPES = {
  [EncType.AES128_CTS_HMAC_SHA1_96]: { cbc: 'aes-128-cbc', hash: 'sha1', keySize: 16, kiSize: 16, s2k: 4096 },
  [EncType.AES256_CTS_HMAC_SHA1_96]: { cbc: 'aes-256-cbc', hash: 'sha1', keySize: 32, kiSize: 32, s2k: 4096 },
  [EncType.AES128_CTS_HMAC_SHA256_128]: {
    cbc: 'aes-128-cbc',
    hash: 'sha256',
    keySize: 16,
    kiSize: 16,
    s2k: 32768,
  },
  [EncType.AES256_CTS_HMAC_SHA384_192]: {
    cbc: 'aes-256-cbc',
    hash: 'sha384',
    keySize: 32,
    kiSize: 24,
    s2k: 32768,
  },
} as const;
type Etype = keyof typeof ETYPES;
const ETYPE_LIST = Object.keys(ETYPES).map(Number) as Etype[];
// 96 and 1024 bytes plus the 16-byte confounder are whole AES blocks; 100 is not, so its row pays for ciphertext
// stealing as most Kerberos messages do.
const SIZES = [96, 100, 1024, 16384];
const USAGE = 3;
const BATCHES = 15;
const PASSWORD = 'benchmark password';
const SALT = 'EXAMPLE.COMuser';

interface Case {
  op: Op;
  etype: Etype;
  /** Plaintext bytes, or PBKDF2 iterations for s2k. */
  size: number;
  id: string;
}

const msPerCase = Number(arg('ms') ?? 240);
const only = arg('only');
const rounds = Number(arg('rounds') ?? 1);
const contenders = (arg('contenders') ?? 'floor,node,pure,mit').split(',') as Contender[];
const asJson = process.argv.includes('--json');

const cases: Case[] = [];
for (const op of ['decrypt', 'encrypt', 'checksum'] as const)
  for (const etype of ETYPE_LIST)
    for (const size of SIZES) cases.push({ op, etype, size, id: `${op}:${etype}:${size}` });
for (const etype of ETYPE_LIST) cases.push({ op: 'cold', etype, size: 96, id: `cold:${etype}:96` });
for (const etype of ETYPE_LIST) {
  const iterations = ETYPES[etype].s2k;
  cases.push({ op: 's2k', etype, size: iterations, id: `s2k:${etype}:${iterations}` });
}
const selected = cases.filter((c) => only === undefined || c.id.includes(only));

/** The calls one case times: the raw floor and tskrb (run under each backend). */
function callsOf(c: Case): { floor: () => void; tskrb: () => void } {
  const e = ETYPES[c.etype];
  const keyBytes = randomBytes(e.keySize);
  const ke = randomBytes(e.keySize);
  const ki = randomBytes(e.kiSize);
  const iv = new Uint8Array(16);
  const key = new Key(c.etype, keyBytes);
  if (c.op === 's2k') {
    const iter = Uint8Array.of(0, c.size >> 16, (c.size >> 8) & 0xff, c.size & 0xff);
    return {
      floor: () => pbkdf2Sync(PASSWORD, SALT, c.size, e.keySize, e.hash),
      tskrb: () => stringToKey(c.etype, PASSWORD, SALT, iter),
    };
  }
  const plaintext = randomBytes(c.size);
  // The floor enciphers what tskrb does (confounder + plaintext), rounded up to whole blocks.
  const cbcText = randomBytes(Math.ceil((c.size + 16) / 16) * 16);
  if (c.op === 'checksum')
    return {
      floor: () => createHmac(e.hash, ki).update(plaintext).digest(),
      tskrb: () => makeChecksum(checksumTypeOf(c.etype), key, USAGE, plaintext),
    };
  if (c.op === 'encrypt')
    return {
      floor: () => {
        const cipher = createCipheriv(e.cbc, ke, iv).setAutoPadding(false);
        const out = cipher.update(cbcText);
        cipher.final();
        createHmac(e.hash, ki)
          .update(e.hash === 'sha1' ? cbcText : out)
          .digest();
      },
      tskrb: () => encrypt(key, USAGE, plaintext),
    };
  setCryptoBackend('node');
  const ciphertext = encrypt(key, USAGE, plaintext);
  return {
    floor: () => {
      const decipher = createDecipheriv(e.cbc, ke, iv).setAutoPadding(false);
      const out = decipher.update(cbcText);
      decipher.final();
      createHmac(e.hash, ki)
        .update(e.hash === 'sha1' ? out : cbcText)
        .digest();
    },
    tskrb:
      c.op === 'cold'
        ? () => decrypt(new Key(c.etype, keyBytes), USAGE, ciphertext)
        : () => decrypt(key, USAGE, ciphertext),
  };
}

/** Best ns per call of each JS contender on one case, batches interleaved so drift hits all alike. */
function measureJs(c: Case, which: Contender[]): Map<Contender, number> {
  const calls = callsOf(c);
  const runners = which
    .filter((w) => w !== 'mit')
    .map((w) => {
      const fn = w === 'floor' ? calls.floor : calls.tskrb;
      const run = (n: number) => {
        if (w !== 'floor') setCryptoBackend(w);
        return batch(fn, n);
      };
      return { w, fn, run, n: 0, best: Number.POSITIVE_INFINITY };
    });
  const slice = (msPerCase * 1e6) / BATCHES;
  for (const r of runners) {
    if (r.w !== 'floor') setCryptoBackend(r.w);
    r.run(Math.max(1, calibrate(r.fn, slice) >> 2)); // warm-up
    r.n = calibrate(r.fn, slice);
  }
  for (let b = 0; b < BATCHES; b++) for (const r of runners) r.best = Math.min(r.best, r.run(r.n));
  setCryptoBackend('auto');
  return new Map(runners.map((r) => [r.w, r.best]));
}

function measureMit(harness: string, which: Case[]): Map<string, number> {
  const m = new Map<string, number>();
  let out: string;
  try {
    out = execFileSync(harness, [String(msPerCase), ...which.map((c) => c.id)], { encoding: 'utf8' });
  } catch (e) {
    console.error(`MIT krb5 column skipped: the harness failed (${String(e)})`);
    return m;
  }
  for (const line of out.trim().split('\n')) {
    const [id, ns] = line.split(' ');
    if (id !== undefined && ns !== undefined) m.set(id, Number(ns));
  }
  return m;
}

function main(): void {
  const harness = contenders.includes('mit') ? buildMitHarness('krb5-bench', 'krb5') : { missing: '' };
  if ('missing' in harness && harness.missing !== '')
    console.error(`MIT krb5 column skipped: ${harness.missing}`);
  for (let round = 1; round <= rounds; round++) {
    const mit = 'path' in harness ? measureMit(harness.path, selected) : new Map<string, number>();
    const rows = selected.map((c) => {
      const js = measureJs(c, contenders);
      return {
        case: c.id,
        floor: js.get('floor'),
        node: js.get('node'),
        pure: js.get('pure'),
        mit: mit.get(c.id),
      };
    });
    if (asJson) {
      console.log(JSON.stringify({ round, rows }));
      continue;
    }
    console.log(
      `\ncrypto vs MIT krb5, round ${round}/${rounds} (best of ${BATCHES} batches, usage ${USAGE})`,
    );
    const head = [
      'case',
      'floor',
      'node',
      'pure',
      'MIT C',
      'node/floor',
      'pure/floor',
      'node/MIT',
      'pure/MIT',
    ];
    const table = rows.map((r) => [
      r.case,
      formatNs(r.floor),
      formatNs(r.node),
      formatNs(r.pure),
      formatNs(r.mit),
      formatRatio(r.node, r.floor),
      formatRatio(r.pure, r.floor),
      formatRatio(r.node, r.mit),
      formatRatio(r.pure, r.mit),
    ]);
    printTable(head, table);
  }
}

main();
