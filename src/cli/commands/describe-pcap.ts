/**
 * `tskrb describe --pcap`: the Kerberos exchanges of a libpcap or pcapng capture, in order, each request and
 * reply explained, with every encrypted part opened that the keys given (or learned from earlier parts) fit.
 */

import {
  type CaptureReport,
  type Exchange,
  type KerberosRecord,
  kerberosExchanges,
} from '../../explain/capture-exchanges.js';
import { saltsOf, stepOf } from '../../explain/capture-steps.js';
import { type ExplainNode, type ExplainOptions, explainAs } from '../../explain/explain.js';
import { type GssExplainOptions, GssSession } from '../../explain/gss.js';
import { addPassword, Keyring } from '../../explain/keyring.js';
import { type Capture, readCapture } from '../../pcap/capture.js';
import type { Carrier } from '../../pcap/content.js';
import { endpointText } from '../../pcap/segment.js';
import { KERBEROS_PORT } from '../../transport/constants.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo } from '../command.js';
import { UsageError } from '../errors.js';
import { addGivenKeys } from '../keyring.js';
import { renderTree, toJson } from '../render.js';

/** Ports followed by default: Kerberos's own (RFC 4120 7.2.1) and the lab's KDCs (Samba, OTHER.TEST, FAST.TEST). */
const DEFAULT_PORTS: readonly number[] = [KERBEROS_PORT, 10088, 10188, 10288];
const MAX_PORT = 65535;
const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_MICRO = 1000n;
const NS_PER_MS = 1e6;
/** Largest seconds value a JavaScript Date holds. */
const MAX_DATE_SECONDS = 8_640_000_000_000n;

/** How each carrier found by content is named in an exchange's header. */
const CARRIER_NAMES: Readonly<Record<Carrier, string>> = {
  kerberos: 'found by content',
  kkdcp: 'KKDCP over HTTP',
  'http-negotiate': 'HTTP Negotiate',
  'ldap-sasl': 'LDAP SASL bind',
};

/** The ports to follow: every --port, else 88 and the lab ports. */
function portsOf(args: ParsedArgs): Set<number> {
  const given = args.all('port');
  if (given.length === 0) return new Set(DEFAULT_PORTS);
  return new Set(
    given.map((p) => {
      const n = /^\d+$/.test(p) ? Number(p) : Number.NaN;
      if (!(n >= 1 && n <= MAX_PORT)) throw new UsageError(`describe: --port ${p} is not a port number`);
      return n;
    }),
  );
}

/** The keyring: --key, --keytab, and --password with --salt or with every salt the capture's AS exchanges name. */
async function keyringOf(args: ParsedArgs, io: CliIo, exchanges: readonly Exchange[]): Promise<Keyring> {
  const ring = new Keyring();
  await addGivenKeys(ring, args, io);
  const password = args.get('password');
  const salt = args.get('salt');
  if (password !== undefined) {
    const salts = salt === undefined ? saltsOf(exchanges) : [salt];
    if (salts.length === 0)
      throw new UsageError(
        'describe: --password needs --salt, the capture has no AS exchange to take it from',
        {
          hint: 'the salt is usually REALM followed by the name components, e.g. EXAMPLE.COMalice',
        },
      );
    for (const s of salts) addPassword(ring, password, s);
  }
  return ring;
}

/** ISO time of a capture timestamp, to the microsecond. */
function timeText(ns: bigint): string {
  const sec = ns / NS_PER_SECOND;
  if (ns < 0n || sec > MAX_DATE_SECONDS) return `${ns} ns since 1970`;
  const micros = ((ns % NS_PER_SECOND) / NS_PER_MICRO).toString().padStart(6, '0');
  return new Date(Number(sec) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${micros}Z`);
}

function recordTree(r: KerberosRecord, opts: ExplainOptions): ExplainNode {
  if (r.gss !== undefined) return explainAs(r.gss.name, r.gss.value, opts);
  if (r.carrier === 'ldap-sasl' && r.bytes.length === 0)
    return { label: 'SASL credentials', value: 'none', note: 'a SASL GSSAPI step without a token' };
  if (r.message === undefined)
    return {
      label: 'undecodable',
      value: `${r.bytes.length} bytes in frame ${r.frame}`,
      note: r.error ?? '',
    };
  return explainAs(r.message.type, r.message.value, opts);
}

function exchangeNote(x: Exchange): string {
  const first = x.request ?? x.reply;
  const parts = [first === undefined ? '' : timeText(first.timestampNs)];
  const frames = [x.request?.frame, x.reply?.frame].filter((f) => f !== undefined);
  parts.push(`frame${frames.length === 1 ? '' : 's'} ${frames.join(' → ')}`);
  if (x.request !== undefined && x.reply !== undefined) {
    const ms = Number(x.reply.timestampNs - x.request.timestampNs) / NS_PER_MS;
    parts.push(`reply after ${ms.toFixed(3)} ms`);
  }
  if (x.retransmissions > 0)
    parts.push(`${x.retransmissions} retransmission${x.retransmissions === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** The tree of one exchange: its request and its reply, each explained, or a line saying which is missing. */
function exchangeTree(
  x: Exchange,
  n: number,
  ring: Keyring,
  gss: GssSession,
  showKeys: boolean,
): ExplainNode {
  const step = stepOf(x);
  const base: GssExplainOptions = {
    gss,
    showKeys,
    open: (ed, usages, kind, owner) => ring.open(ed, usages, kind, owner),
    kdcKeys: () => ring.kdcKeys(),
  };
  const children = [
    x.request === undefined ? { label: 'request', value: 'not in the capture' } : recordTree(x.request, base),
    x.reply === undefined
      ? { label: 'reply', value: 'not in the capture' }
      : recordTree(x.reply, step === undefined ? base : { ...base, step }),
  ];
  const carrier = x.carrier === undefined ? '' : ` (${CARRIER_NAMES[x.carrier]})`;
  const gssKind = x.carrier === 'http-negotiate' || x.carrier === 'ldap-sasl' ? 'GSS-API' : undefined;
  return {
    label: `#${n} ${step ?? x.request?.message?.type ?? x.reply?.message?.type ?? gssKind ?? 'Kerberos'}`,
    value: `${x.transport.toUpperCase()} ${endpointText(x.client)} → ${endpointText(x.server)}${carrier}`,
    note: exchangeNote(x),
    children,
  };
}

function summary(c: Capture, report: CaptureReport, ports: ReadonlySet<number>): string {
  const order = c.littleEndian ? 'little-endian' : 'big-endian';
  const ifaces = `${c.interfaces.length} interface${c.interfaces.length === 1 ? '' : 's'}`;
  const portList = [...ports].join(', ');
  const { found } = report;
  const onPorts = report.exchanges.length - found.exchanges;
  return (
    `capture: ${c.format} (${order}), ${ifaces}, ${c.packets.length} packets; ` +
    `${report.records} Kerberos messages in ${onPorts} exchanges on ports ${portList}` +
    (found.exchanges > 0
      ? `; by content, ${found.records} more in ${found.exchanges} exchanges on ports ${found.ports.join(', ')}`
      : '') +
    (report.tcpRetransmissions > 0 ? `; ${report.tcpRetransmissions} TCP retransmissions ignored` : '')
  );
}

function recordJson(r: KerberosRecord | undefined, tree: ExplainNode | undefined): unknown {
  if (r === undefined) return undefined;
  return {
    frame: r.frame,
    time: timeText(r.timestampNs),
    kind: r.message?.type,
    value: r.message?.value,
    error: r.error,
    explain: tree,
  };
}

/** Describes every Kerberos exchange of the capture at `path`; exit code 0, or throws FormatError/UsageError. */
export async function describePcap(path: string, args: ParsedArgs, io: CliIo): Promise<number> {
  const ports = portsOf(args);
  const capture = readCapture(await io.readFile(path));
  // Without --port, every other flow is searched by content too; --port follows only the ports given.
  const report = kerberosExchanges(capture, ports, { scan: args.all('port').length === 0 });
  const ring = await keyringOf(args, io, report.exchanges);
  const showKeys = args.has('show-keys');
  const json = args.has('json');
  if (json) {
    const { format, littleEndian, interfaces } = capture;
    const head = { format, littleEndian, interfaces: interfaces.length, packets: capture.packets.length };
    const { records, found, tcpRetransmissions, warnings } = report;
    io.stdout(
      `${toJson({ capture: head, ports: [...ports], records, found, tcpRetransmissions, warnings })}\n`,
    );
  } else {
    io.stdout(`${summary(capture, report, ports)}\n`);
  }
  // One GSS session for the capture: Wrap and MIC tokens open with the subkeys AP exchanges before them taught.
  const gss = new GssSession(() => ring.keys);
  report.exchanges.forEach((x, i) => {
    const tree = exchangeTree(x, i + 1, ring, gss, showKeys);
    if (!json) {
      io.stdout(renderTree(tree, { color: io.color }));
      return;
    }
    const [req, rep] = tree.children ?? [];
    const line = {
      exchange: i + 1,
      step: stepOf(x),
      transport: x.transport,
      carrier: x.carrier,
      client: endpointText(x.client),
      server: endpointText(x.server),
      retransmissions: x.retransmissions,
      request: recordJson(x.request, req),
      reply: recordJson(x.reply, rep),
    };
    io.stdout(`${toJson(line, { showKeys })}\n`);
  });
  if (!json) for (const w of report.warnings) io.stdout(`warning: ${w}\n`);
  return 0;
}
