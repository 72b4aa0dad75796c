// Keytabs and ccaches against MIT krb5's own tools on the lab: kinit/kvno/klist/ktutil/kadmin files read by
// tskrb, and files tskrb writes read by klist, kinit and kvno.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type Ccache, type Credential, parseCcache, serializeCcache } from '../../src/creds/ccache.js';
import { getConfigValue, isConfigEntry, ticketsOf } from '../../src/creds/ccache-config.js';
import {
  readCcacheFile,
  readKeytabFile,
  readKirbiFile,
  writeCcacheFile,
  writeKeytabFile,
  writeKirbiFile,
} from '../../src/creds/files.js';
import { findKeytabEntry, parseKeytab, serializeKeytab } from '../../src/creds/keytab.js';
import { ccacheToKirbi, kirbiToCcache } from '../../src/creds/kirbi.js';
import { formatCredsPrincipal } from '../../src/creds/types.js';
import { FormatError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';

interface LabPrincipal {
  principal: string;
  password: string;
  keytab: string | null;
}
interface MitLab {
  env: Record<string, string>;
  realm: string;
  tools: Record<'kinit' | 'kvno' | 'klist' | 'ktutil', string>;
  principals: Record<string, LabPrincipal>;
}

const labRoot = process.env['TSKRB_LAB_DIR'] ?? fileURLToPath(new URL('../../.lab', import.meta.url));
const labFile = join(labRoot, 'mit.json');
const lab: MitLab | undefined = existsSync(labFile)
  ? (JSON.parse(readFileSync(labFile, 'utf8')) as MitLab)
  : undefined;

const scratch = mkdtempSync(join(tmpdir(), 'tskrb-creds-mit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const path = (name: string) => join(scratch, `${++n}-${name}`);

/** Runs an MIT tool with the lab's krb5.conf, in UTC and the C locale so that klist's dates are stable. */
function run(l: MitLab, tool: keyof MitLab['tools'], args: string[], ccache: string, input = '') {
  const env: NodeJS.ProcessEnv = { ...process.env, ...l.env, KRB5CCNAME: ccache, TZ: 'UTC', LC_ALL: 'C' };
  delete env['KRB5_TRACE'];
  const r = spawnSync(l.tools[tool], args, { env, input, encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function kinitAlice(l: MitLab): string {
  const cc = path('kinit.cc');
  const alice = l.principals['alice']!;
  const r = run(l, 'kinit', [alice.principal], `FILE:${cc}`, `${alice.password}\n`);
  expect(r.status, r.stderr).toBe(0);
  return cc;
}

// klist's date format (C locale, UTC): MM/DD/YY HH:MM:SS.
const klistDate = (d: Date) => {
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
};
// klist -f letters for TicketFlags bits (MIT klist.c flags_string), listed here from MIT's output, not from tskrb.
const KLIST_FLAG_LETTERS: [number, string][] = [
  [0x40000000, 'F'],
  [0x20000000, 'f'],
  [0x10000000, 'P'],
  [0x08000000, 'p'],
  [0x04000000, 'D'],
  [0x02000000, 'd'],
  [0x01000000, 'i'],
  [0x00800000, 'R'],
  [0x00400000, 'I'],
  [0x00100000, 'H'],
  [0x00200000, 'A'],
  [0x00080000, 'T'],
  [0x00040000, 'O'],
  [0x00008000, 'a'],
];
const ENCTYPE_NAMES: Record<number, string> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'DEPRECATED:arcfour-hmac',
};

/** klist output without the first line (the cache or keytab name differs between the two files). */
const body = (out: string) => out.split('\n').slice(1).join('\n');

const title = lab
  ? 'MIT krb5 tools and tskrb credential files'
  : `MIT krb5 tools and tskrb credential files (lab not running: no ${labFile}; start it as root with npm run lab:up)`;

describe.skipIf(!lab)(title, () => {
  const l = lab as MitLab;

  it('MIT: a ccache from kinit is read: header, default principal, config entries, TGT as klist shows it', async () => {
    const file = kinitAlice(l);
    const cc = await readCcacheFile(`FILE:${file}`);
    expect(cc.version).toBe(0x504);
    expect(cc.kdcTimeOffset).toBeDefined();
    expect(formatCredsPrincipal(cc.defaultPrincipal)).toBe(`alice@${l.realm}`);
    expect(cc.credentials.filter(isConfigEntry).map((c) => c.server.components[1])).toEqual([
      'fast_avail',
      'pa_type',
    ]);
    const tgs = { realm: l.realm, nameType: 2, components: ['krbtgt', l.realm] };
    expect(new TextDecoder().decode(getConfigValue(cc, 'pa_type', tgs))).toBe('2');
    const [tgt] = ticketsOf(cc) as [Credential];
    expect(tgt.ticket[0]).toBe(0x61);
    const k = run(l, 'klist', ['-e', '-f', '-c', `FILE:${file}`], '');
    expect(k.status, k.stderr).toBe(0);
    const flags = KLIST_FLAG_LETTERS.filter(([bit]) => tgt.flags & bit)
      .map(([, c]) => c)
      .join('');
    const line = `${klistDate(tgt.starttime ?? tgt.authtime)}  ${klistDate(tgt.endtime)}  ${formatCredsPrincipal(tgt.server)}`;
    expect(k.stdout).toContain(line);
    expect(k.stdout).toContain(`renew until ${klistDate(tgt.renewTill!)}, Flags: ${flags}`);
    expect(k.stdout).toContain(`Etype (skey, tkt): ${ENCTYPE_NAMES[tgt.key.etype]}`);
  });

  it('MIT: tskrb re-serializes a kinit ccache byte for byte, and klist lists its copy identically', async () => {
    const file = kinitAlice(l);
    const bytes = new Uint8Array(readFileSync(file));
    const cc = parseCcache(bytes);
    expect(toHex(serializeCcache(cc))).toBe(toHex(bytes));
    const copy = path('copy.cc');
    await writeCcacheFile(copy, structuredClone(cc));
    for (const flags of [['-e', '-f', '-a'], ['-C']]) {
      const a = run(l, 'klist', [...flags, '-c', `FILE:${file}`], '');
      const b = run(l, 'klist', [...flags, '-c', `FILE:${copy}`], '');
      expect(b.status, b.stderr).toBe(0);
      expect(body(b.stdout)).toBe(body(a.stdout));
    }
  });

  it('MIT: klist reads a version 3 ccache tskrb writes', async () => {
    const cc: Ccache = { ...parseCcache(new Uint8Array(readFileSync(kinitAlice(l)))), version: 0x503 };
    const v3 = path('v3.cc');
    await writeCcacheFile(`FILE:${v3}`, cc);
    expect(readFileSync(v3).subarray(0, 2)).toEqual(Buffer.from([5, 3]));
    const k = run(l, 'klist', ['-c', `FILE:${v3}`], '');
    expect(k.status, k.stderr).toBe(0);
    expect(k.stdout).toContain(`krbtgt/${l.realm}@${l.realm}`);
  });

  it('MIT: kvno gets a service ticket with the TGT from a ccache tskrb wrote, and tskrb reads the result', async () => {
    const cc = parseCcache(new Uint8Array(readFileSync(kinitAlice(l))));
    const ours = path('ours.cc');
    await writeCcacheFile(ours, cc);
    const web = l.principals['web']!.principal;
    const r = run(l, 'kvno', [web], `FILE:${ours}`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${web}: kvno = 1`);
    const after = await readCcacheFile(ours);
    const svc = ticketsOf(after).find((c) => formatCredsPrincipal(c.server) === web);
    expect(svc?.ticket[0]).toBe(0x61);
    expect(svc?.client).toEqual(cc.defaultPrincipal);
  });

  it.each(['alice', 'web', 'cifs', 'carol'])(
    'MIT: the kadmin keytab of %s is read as klist -kteK lists it',
    async (id) => {
      const ktPath = l.principals[id]!.keytab!;
      const kt = await readKeytabFile(`FILE:${ktPath}`);
      const k = run(l, 'klist', ['-k', '-t', '-e', '-K', ktPath], '');
      expect(k.status, k.stderr).toBe(0);
      const lines = k.stdout
        .trim()
        .split('\n')
        .slice(3)
        .map((s) => s.trim().replace(/\s+/g, ' '));
      const ours = kt.entries.map(
        (e) =>
          `${e.kvno} ${klistDate(e.timestamp)} ${formatCredsPrincipal(e.principal)} (${ENCTYPE_NAMES[e.key.etype]}) (0x${toHex(e.key.bytes)})`,
      );
      expect(ours).toEqual(lines);
      expect(kt.entries.map((e) => e.key.etype).sort()).toEqual([17, 18, 19, 20, 23]);
    },
  );

  it('MIT: a keytab tskrb writes is byte-identical, listed identically, and kinit -k logs in with it', async () => {
    const src = l.principals['web']!;
    const bytes = new Uint8Array(readFileSync(src.keytab!));
    const kt = parseKeytab(bytes);
    expect(toHex(serializeKeytab(kt))).toBe(toHex(bytes));
    const copy = path('copy.keytab');
    await writeKeytabFile(copy, kt);
    const listed = (f: string) => run(l, 'klist', ['-k', '-t', '-e', '-K', f], '').stdout;
    expect(body(listed(copy))).toBe(body(listed(src.keytab!)));
    // A keytab of one entry, chosen by principal and enctype, written by tskrb.
    const principal = kt.entries[0]!.principal;
    const one = findKeytabEntry(kt, { principal, etype: 17 })!;
    const ktOut = path('one.keytab');
    await writeKeytabFile(`FILE:${ktOut}`, { version: 0x502, entries: [one] });
    const a = run(l, 'klist', ['-kte', ktOut], '');
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toContain(`${src.principal} (aes128-cts-hmac-sha1-96)`);
    const cc = path('kt.cc');
    const r = run(l, 'kinit', ['-k', '-t', ktOut, src.principal], `FILE:${cc}`);
    expect(r.status, r.stderr).toBe(0);
    const got = await readCcacheFile(cc);
    expect(formatCredsPrincipal(got.defaultPrincipal)).toBe(src.principal);
  });

  it('MIT: ktutil keytab with a kvno above 255 (32-bit kvno extension) is read', async () => {
    const out = path('ktutil.keytab');
    const script = `addent -password -p probe@${l.realm} -k 300 -e aes256-cts-hmac-sha1-96\npassword300\nwkt ${out}\nq\n`;
    const r = run(l, 'ktutil', [], '', script);
    expect(r.status, r.stderr).toBe(0);
    const kt = await readKeytabFile(out);
    expect(kt.entries.map((e) => [formatCredsPrincipal(e.principal), e.kvno, e.key.etype])).toEqual([
      [`probe@${l.realm}`, 300, 18],
    ]);
    const k = run(l, 'klist', ['-k', out], '');
    expect(k.stdout).toMatch(/^\s*300 probe@/m);
  });
});

const TICKET_CONVERTER = '/usr/share/doc/python3-impacket/examples/ticketConverter.py';
const impacket = existsSync(TICKET_CONVERTER);
const impacketTitle = impacket
  ? 'KRB-CRED (.kirbi) between tskrb, MIT krb5 and Impacket'
  : `KRB-CRED (.kirbi) between tskrb, MIT krb5 and Impacket (skipped: no ${TICKET_CONVERTER}; apt-get install python3-impacket)`;

describe.skipIf(!lab || !impacket)(impacketTitle, () => {
  const l = lab as MitLab;
  /** Impacket's ticketConverter (Debian's python3 has the module). */
  const convert = (from: string, to: string) => {
    const r = spawnSync('/usr/bin/python3', [TICKET_CONVERTER, from, to], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
  };
  /** A kinit ccache of alice plus a service ticket for web, from MIT's own tools. */
  const mitCcache = () => {
    const cc = kinitAlice(l);
    const r = run(l, 'kvno', [l.principals['web']!.principal], `FILE:${cc}`);
    expect(r.status, r.stderr).toBe(0);
    return cc;
  };

  it('Impacket 0.10: its .kirbi has 31-bit TicketFlags (RFC 4120 5.2.8 wants 32); tskrb refuses it with a hint', async () => {
    const cc = mitCcache();
    const kirbi = path('impacket.kirbi');
    convert(cc, kirbi);
    const err = await readKirbiFile(kirbi).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toMatch(/ticket-info\[0\]\.flags/);
    expect((err as FormatError).hint).toMatch(/Impacket/);
    // The offending field as Impacket writes it: BIT STRING, 1 unused bit, 0x40e10000 shifted left by one.
    const mitFlags = ticketsOf(parseCcache(new Uint8Array(readFileSync(cc))))[0]!.flags;
    const shifted = (mitFlags << 1) >>> 0;
    const field = [
      0x03,
      0x05,
      0x01,
      shifted >>> 24,
      (shifted >>> 16) & 255,
      (shifted >>> 8) & 255,
      shifted & 255,
    ];
    expect(toHex(new Uint8Array(readFileSync(kirbi)))).toContain(toHex(new Uint8Array(field)));
  });

  it('Impacket: a .kirbi tskrb exports from an MIT ccache converts back to a ccache MIT klist and kvno use', async () => {
    const cc = parseCcache(new Uint8Array(readFileSync(mitCcache())));
    const kirbi = path('tskrb.kirbi');
    await writeKirbiFile(kirbi, ticketsOf(cc));
    const back = path('from-kirbi.cc');
    convert(kirbi, back);
    const k = run(l, 'klist', ['-c', `FILE:${back}`], '');
    expect(k.status, k.stderr).toBe(0);
    expect(k.stdout).toContain(`krbtgt/${l.realm}@${l.realm}`);
    const r = run(l, 'kvno', [l.principals['cifs']!.principal], `FILE:${back}`);
    expect(r.status, r.stderr).toBe(0);
  });

  it('MIT: a ccache tskrb builds from a .kirbi (kirbiToCcache) is listed by klist and used by kvno', async () => {
    const cc = parseCcache(new Uint8Array(readFileSync(mitCcache())));
    const viaKirbi = kirbiToCcache(ccacheToKirbi(cc));
    expect(ticketsOf(viaKirbi)).toEqual(ticketsOf(cc));
    const out = path('kirbi.cc');
    await writeCcacheFile(out, viaKirbi);
    const k = run(l, 'klist', ['-e', '-f', '-c', `FILE:${out}`], '');
    expect(k.status, k.stderr).toBe(0);
    const r = run(l, 'kvno', [l.principals['cifs']!.principal], `FILE:${out}`);
    expect(r.status, r.stderr).toBe(0);
  });
});
