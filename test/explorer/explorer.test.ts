/**
 * The web explorer in headless Chromium (driven over the DevTools pipe, like test/runtimes/chromium.test.ts):
 * `npm run explorer`'s build served on 127.0.0.1 by scripts/explorer.mjs (started and stopped here by its PID);
 * the shipped demo recording opened with its keys, a DER field clicked and its bytes highlighted (and a byte
 * clicked back to its field), explain nodes selecting the spans the decoders gave them (a decrypted part's in its
 * plaintext, shown as a buffer of its own), a capture dropped on the page and its exchanges counted in the sequence diagram, and
 * no request made after the page's own files.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DerReader, Tag } from '../../src/asn1/der.js';
import {
  decodeAsRep,
  decodeEncTicketPart,
  decodePaForUser,
  decodePrincipalName,
  decodeTgsReq,
  PaDataType,
} from '../../src/asn1/index.js';
import { shippedRecording } from '../../src/cli/demo/recording.js';
import { decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { kerberosExchanges } from '../../src/explain/capture-exchanges.js';
import { decodePac, findPac } from '../../src/pac/index.js';
import { readCapture } from '../../src/pcap/capture.js';
import { fromHex, toBase64, toHex } from '../../src/util/bytes.js';
import { s4u2ProxyExchange, s4u2SelfExchange } from '../cli/fixtures.js';
import { labJson, mitLab } from '../helpers/lab.js';
import { hasTshark, startCapture, stopCapture } from '../interop/pcap-capture.js';
import { ethernet, ipv4, pcapFile, record, tcp, udp } from '../pcap/fixtures.js';
import { evaluateInChromium, HEADLESS_CHROMIUM_ARGS } from '../runtimes/cdp-pipe.js';

/** The part of .lab/apache.json used here (scripts/lab/README.md). */
interface ApacheLab {
  sites: { mit: { port: number; url: string; curlResolve: string } };
}
const apache = labJson<ApacheLab>('apache');

const CHROMIUM = process.env['TSKRB_CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (process.env['CI'] === 'true' && !hasChromium)
  throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install chromium`);

/** A capture with an S4U2Self exchange over UDP on 88 and an S4U2Proxy over TCP on an unknown port. */
function capture(): Uint8Array {
  const self = s4u2SelfExchange();
  const proxy = s4u2ProxyExchange();
  const frame = (src: string, dst: string, proto: number, payload: Uint8Array) =>
    ethernet(0x0800, ipv4(src, dst, proto, payload));
  const frames = [
    frame('10.0.0.5', '10.0.0.1', 17, udp(50000, 88, self.request)),
    frame('10.0.0.1', '10.0.0.5', 17, udp(88, 50000, self.reply)),
    frame('10.0.0.5', '10.0.0.1', 6, tcp(40000, 21088, 1, 0x18, record(proxy.request))),
    frame('10.0.0.1', '10.0.0.5', 6, tcp(21088, 40000, 1, 0x18, record(proxy.reply))),
  ];
  return pcapFile({
    little: true,
    nano: false,
    linkType: 1,
    packets: frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data })),
  });
}

/**
 * [start, end) of the DER element reached from the start of `b` by `path`: at each step, the index of the element
 * among its siblings; the last step `'contents'` gives the contents of the OCTET STRING reached instead.
 */
function derRange(b: Uint8Array, path: readonly (number | 'contents')[]): [number, number] {
  const go = (r: DerReader, rest: readonly (number | 'contents')[]): [number, number] => {
    const [step, ...more] = rest;
    if (step === 'contents') {
      const c = r.primitive(Tag.OctetString, 'cipher');
      return [c.offset, c.offset + c.bytes.length];
    }
    for (let i = 0; i < step!; i++) r.raw('before');
    const start = r.offset;
    if (more.length === 0) {
      r.raw('element');
      return [start, r.offset];
    }
    return r.enter(r.peekTag(), 'step', (inner) => {
      const range = go(inner, more);
      while (!inner.atEnd) inner.raw('after');
      return range;
    });
  };
  return go(new DerReader(b, 0, b.length, 'recording'), path);
}

/** In the page: runs `body` once the explorer is loaded, with `x` = window.explorer; returns its JSON. */
function inPage(body: string): string {
  return `location.protocol === 'http:' && window.explorer ? (async () => { const x = window.explorer; ${body} })() : undefined`;
}

describe.skipIf(!hasChromium)(
  `the web explorer in headless Chromium${hasChromium ? '' : ` (${CHROMIUM} missing)`}`,
  () => {
    let server: ChildProcess | undefined;
    let url = '';
    let profile = '';

    beforeAll(async () => {
      profile = mkdtempSync(join(tmpdir(), 'tskrb-explorer-'));
      const child = spawn(process.execPath, ['scripts/explorer.mjs', '--port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server = child;
      url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL from scripts/explorer.mjs: ${out}`)), 60_000);
        child.stdout?.on('data', (d: Uint8Array) => {
          out += new TextDecoder().decode(d);
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`scripts/explorer.mjs exited ${code}: ${out}`)));
      });
    }, 90_000);

    afterAll(() => {
      if (server?.pid !== undefined && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    async function run(body: string): Promise<Record<string, unknown>> {
      const r = await evaluateInChromium({
        chromium: CHROMIUM,
        args: [...HEADLESS_CHROMIUM_ARGS, `--user-data-dir=${profile}`],
        url,
        expression: inPage(body),
        timeoutMs: 60_000,
      });
      return JSON.parse(String(r.value)) as Record<string, unknown>;
    }

    it('the demo recording: every part explained, the encrypted ones opened with its keys; a field and its bytes select each other', async () => {
      const r = await run(`
      const before = performance.getEntriesByType('resource').length;
      const s = x.show(x.loadDemo());
      const opened = s.parts.filter((p) => JSON.stringify(p.tree).includes('"note":"opened with')).length;
      // Click the fourth DER element of the AS-REQ, then byte 9.
      const row = document.querySelectorAll('#der .der')[3];
      row.click();
      const hl = () => [...document.querySelectorAll('#bytes span.hl')].map((b) => Number(b.dataset.i));
      const field = hl();
      document.querySelector('#bytes span[data-i="9"]').click();
      const byByte = hl();
      const rowHl = [...document.querySelectorAll('#der .der.hl')].map((e) => e.textContent);
      const arrows = document.querySelectorAll('#diagram .arrow').length;
      return JSON.stringify({
        parts: s.parts.length, opened, arrows, row: [Number(row.dataset.start), Number(row.dataset.end)],
        field: [field[0], field[field.length - 1] + 1], byByte: [byByte[0], byByte[byByte.length - 1] + 1], rowHl,
        kdcValid: s.parts.some((p) => JSON.stringify(p.tree).includes('KDC signature verified')),
        requests: performance.getEntriesByType('resource').slice(before).map((e) => e.name),
      });`);
      expect(r['parts']).toBe(8);
      expect(r['arrows']).toBe(8);
      // Every part with an encrypted part opens with the recording's keys: all but the last reply, a KRB-ERROR.
      expect(r['opened']).toBe(7);
      expect(r['kdcValid']).toBe(true);
      expect(r['field']).toEqual(r['row']);
      // Byte 9 lies in the INTEGER of pvno ([1] at 6, INTEGER at 8, 3 bytes).
      expect(r['byByte']).toEqual([8, 11]);
      expect(r['rowHl']).toEqual(['INTEGER (3 bytes at 8)']);
      // Nothing fetched but the page's own modules, which may still be arriving as the test starts.
      for (const name of r['requests'] as string[])
        expect(name).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w/@.-]+\.js$/);
    }, 120_000);

    it('an explain-tree node selects its bytes, a byte its deepest node; a decrypted field selects its plaintext', async () => {
      const [first, second] = shippedRecording()!.exchanges;
      const asReq = fromHex(first!.request);
      const asRep = fromHex(first!.reply);
      const selfReq = fromHex(second!.request);
      const r = await run(`
      x.show(x.loadDemo());
      const line = (label, nth = 0) =>
        [...document.querySelectorAll('#tree .node')].filter((l) => l.querySelector('.label').textContent === label)[nth];
      const hl = () => {
        const i = [...document.querySelectorAll('#bytes span.hl')].map((b) => Number(b.dataset.i));
        return [i[0], i[i.length - 1] + 1];
      };
      const hdr = () => [...document.querySelectorAll('#bytes span.hdr')].map((b) => Number(b.dataset.i));
      const shownBytes = () => [...document.querySelectorAll('#bytes span')].map((b) => b.textContent).join('');
      const buffer = () => document.querySelector('#buffers button.current').textContent;
      const marked = () => [...document.querySelectorAll('#tree .node.hl .label')].map((l) => l.textContent);
      x.showPart(0);
      line('PA-ENC-TIMESTAMP (2)').click();
      const padata = hl();
      const padataMarked = marked();
      line('req-body').click();
      const reqBody = hl();
      const reqBodyHeader = hdr();
      document.querySelector('#bytes span[data-i="24"]').click();
      const byByte = marked();
      x.showPart(1);
      line('enc-part').click();
      const encPart = hl();
      const encPartBuffer = buffer();
      line('EncTicketPart').click();
      const plain = hl();
      const plainBuffer = buffer();
      const plainBytes = shownBytes();
      const note = document.getElementById('selection').textContent;
      line('type 1').click();
      const logonInfo = hl();
      const logonBuffer = buffer();
      // A byte of the plaintext pane selects the node deepest there.
      document.querySelector('#bytes span[data-i="' + (logonInfo[0] + 4) + '"]').click();
      const inLogonInfo = marked();
      x.showPart(2);
      const under = (parent, label) =>
        [...line(parent).parentElement.querySelectorAll('.node')].find((l) => l.querySelector('.label').textContent === label);
      under('PA-FOR-USER (129)', 'user').click();
      const forUser = hl();
      return JSON.stringify({ padata, padataMarked, reqBody, reqBodyHeader, byByte, encPart, encPartBuffer, plain,
        plainBuffer, plainBytes, note, logonInfo, logonBuffer, inLogonInfo, forUser });`);
      // AS-REQ: [APPLICATION 10] SEQUENCE { [1] pvno, [2] msg-type, [3] padata SEQUENCE OF { PA-DATA… }, [4] req-body }
      expect(r['padata']).toEqual(derRange(asReq, [0, 0, 2, 0, 0]));
      expect(r['padataMarked']).toEqual(['PA-ENC-TIMESTAMP (2)']);
      const [bodyStart, bodyEnd] = derRange(asReq, [0, 0, 3]);
      expect(r['reqBody']).toEqual([bodyStart, bodyEnd]);
      // The [4] tag and its length octets are marked apart from the contents.
      expect(r['reqBodyHeader']).toEqual([bodyStart, bodyStart + 1]);
      // Byte 24 is in the entry's padata-type, outside its padata-value: the entry itself is the deepest node.
      const [typeStart, typeEnd] = derRange(asReq, [0, 0, 2, 0, 0, 0, 0]);
      expect(24).toBeGreaterThanOrEqual(typeStart);
      expect(24).toBeLessThan(typeEnd);
      expect(r['byByte']).toEqual(['PA-ENC-TIMESTAMP (2)']);
      // AS-REP: … [5] ticket [APPLICATION 1] SEQUENCE { [0] tkt-vno, [1] realm, [2] sname, [3] enc-part }.
      expect(r['encPart']).toEqual(derRange(asRep, [0, 0, 5, 0, 0, 3]));
      expect(r['encPartBuffer']).toMatch(/^input /);
      // The decrypted EncTicketPart is its plaintext, shown as a buffer of its own: decrypted here with the krbtgt key.
      const rec = shippedRecording()!;
      const krbtgt = new Key(rec.keys['krbtgt']!.etype, fromHex(rec.keys['krbtgt']!.hex));
      const ticketPlain = decrypt(krbtgt, KeyUsage.KdcRepTicket, decodeAsRep(asRep).ticket.encPart.cipher);
      expect(r['plainBuffer']).toBe(`plaintext of enc-part (EncTicketPart) (${ticketPlain.length} bytes)`);
      expect(r['plainBytes']).toBe(toHex(ticketPlain));
      expect(r['plain']).toEqual([0, ticketPlain.length]);
      const [cipherStart, cipherEnd] = derRange(asRep, [0, 0, 5, 0, 0, 3, 0, 2, 'contents']);
      expect(r['note']).toContain(`decrypted from bytes ${cipherStart}–${cipherEnd - 1} of input`);
      // The PAC's logon info buffer: where the PAC's own table puts it, inside the plaintext.
      const pac = findPac(decodeEncTicketPart(ticketPlain).authorizationData!)!;
      const logon = decodePac(pac).infoBuffers.find((b) => b.ulType === 1)!;
      const pacAt = toHex(ticketPlain).indexOf(toHex(pac)) / 2;
      expect(r['logonInfo']).toEqual([pacAt + logon.offset, pacAt + logon.offset + logon.cbBufferSize]);
      expect(r['logonBuffer']).toMatch(/^plaintext of enc-part \(EncTicketPart\)/);
      expect(r['inLogonInfo']).toEqual(['user']);
      // S4U2Self: PA-FOR-USER's user, decoded apart from its padata-value, selects its bytes in the message.
      const [fu0, fu1] = r['forUser'] as [number, number];
      const p = decodeTgsReq(selfReq).padata!.find((x) => x.padataType === PaDataType.FOR_USER)!;
      const user = new DerReader(selfReq, fu0, fu1, 'user').field(0, 'userName', (f) =>
        f.raw('PrincipalName'),
      );
      expect(decodePrincipalName(user)).toEqual(decodePaForUser(p.padataValue).userName);
    }, 120_000);

    it('a dropped capture: its exchanges in the sequence diagram, Kerberos on an unknown port included; no request made', async () => {
      const b64 = toBase64(capture());
      const r = await run(`
      const before = performance.getEntriesByType('resource').length;
      const bytes = Uint8Array.from(atob('${b64}'), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'lab.pcap'));
      document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      for (let i = 0; i < 100 && document.querySelectorAll('#diagram .arrow').length === 0; i++) await new Promise((w) => setTimeout(w, 50));
      const labels = [...document.querySelectorAll('#diagram .arrow text')].map((t) => t.textContent);
      const actors = [...document.querySelectorAll('#diagram svg > text')].map((t) => t.textContent);
      let blocked = false;
      try { await fetch('http://127.0.0.1:9/'); } catch { blocked = true; }
      const own = performance.getEntriesByType('resource').every((e) => e.name.startsWith(location.origin));
      return JSON.stringify({ labels, actors, blocked, own, requests: performance.getEntriesByType('resource').slice(before).map((e) => e.name), error: document.getElementById('error').textContent });`);
      expect(r['error']).toBe('');
      expect(r['labels']).toEqual([
        '#1 S4U2Self →',
        '#1 S4U2Self reply ←',
        '#2 S4U2Proxy →',
        '#2 S4U2Proxy reply ←',
      ]);
      expect(r['actors']).toEqual(['client 10.0.0.5', 'KDC 10.0.0.1:88', 'KDC 10.0.0.1:21088']);
      // The CSP refuses any connection, and the page made none after its own files.
      expect(r['blocked']).toBe(true);
      expect(r['own']).toBe(true);
      // Nothing fetched but the page's own modules, which may still be arriving as the test starts.
      for (const name of r['requests'] as string[])
        expect(name).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w/@.-]+\.js$/);
    }, 120_000);

    it.skipIf(!mitLab || !apache || !hasTshark)(
      `a lab capture (MIT kinit, then curl with Negotiate to Apache): one arrow per message${!mitLab || !apache ? ' (lab not running)' : !hasTshark ? ' (no tshark)' : ''}`,
      async () => {
        const L = mitLab!;
        const site = apache!.sites.mit;
        const file = join(profile, 'lab.pcapng');
        const child = await startCapture(file, 'pcapng', ['lo'], `port 88 or port ${site.port}`);
        const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${join(profile, 'cc')}` };
        try {
          const alice = L.principals['alice']!;
          execFileSync('kinit', [alice.principal], {
            env,
            input: `${alice.password}\n`,
            stdio: ['pipe', 'ignore', 'ignore'],
          });
          const host = site.curlResolve.split(':')[0]!;
          const target = site.url.replace('127.0.0.1', host);
          execFileSync('curl', ['-s', '--negotiate', '-u', ':', '--resolve', site.curlResolve, target], {
            env,
          });
          await new Promise((w) => setTimeout(w, 500));
        } finally {
          await stopCapture(child);
        }
        const bytes = new Uint8Array(readFileSync(file));
        const report = kerberosExchanges(readCapture(bytes), new Set([88]), { scan: true });
        const messages = report.exchanges.reduce((n, x) => n + (x.request ? 1 : 0) + (x.reply ? 1 : 0), 0);
        const r = await run(`
          const bytes = Uint8Array.from(atob('${toBase64(bytes)}'), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([bytes], 'lab.pcapng'));
          document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
          for (let i = 0; i < 100 && document.querySelectorAll('#diagram .arrow').length === 0; i++) await new Promise((w) => setTimeout(w, 50));
          return JSON.stringify({ labels: [...document.querySelectorAll('#diagram .arrow text')].map((t) => t.textContent) });`);
        const labels = r['labels'] as string[];
        expect(labels).toHaveLength(messages);
        expect(labels.some((l) => /^#\d+ AS/.test(l))).toBe(true);
        expect(labels.some((l) => l.includes('GSS-API'))).toBe(true);
      },
      120_000,
    );
  },
);
