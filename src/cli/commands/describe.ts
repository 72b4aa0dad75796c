/** `tskrb describe`: decode anything Kerberos, open every encrypted part a key fits, explain it all. */
import {
  decodeEtypeInfo2,
  type KdcProxyMessage,
  type KdcRep,
  type KdcReq,
  PaDataType,
} from '../../asn1/index.js';
import { type Ccache, formatCredsPrincipal, ticketsOf } from '../../creds/index.js';
import { type Detected, detectInput } from '../../explain/detect.js';
import { GssKind, type InputLine } from '../../explain/detect-gss.js';
import { type ExplainNode, type ExplainOptions, explainAs } from '../../explain/explain.js';
import { type GssExplainOptions, GssSession, sessionOf } from '../../explain/gss.js';
import { addPassword, Keyring } from '../../explain/keyring.js';
import { explainLines } from '../../explain/spnego.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { UsageError } from '../errors.js';
import { addGivenKeys } from '../keyring.js';
import { renderTree, toJson } from '../render.js';
import { describePcap } from './describe-pcap.js';

/** The salt a password needs for this input when --salt is not given: ETYPE-INFO2's, else the principal's default. */
function saltFor(d: Detected): string | undefined {
  if (d.name === 'AS-REP') {
    const rep = d.value as KdcRep;
    const info = rep.padata?.find((p) => p.padataType === PaDataType.ETYPE_INFO2);
    const salt = info
      ? decodeEtypeInfo2(info.padataValue).find((e) => e.salt !== undefined)?.salt
      : undefined;
    return salt ?? rep.crealm + rep.cname.nameString.join('');
  }
  if (d.name === 'AS-REQ') {
    const body = (d.value as KdcReq).reqBody;
    return body.cname ? body.realm + body.cname.nameString.join('') : undefined;
  }
  return undefined;
}

/** Builds the keyring from --key, --keytab and --password/--salt. */
async function keyringOf(args: ParsedArgs, io: CliIo, detected: Detected): Promise<Keyring> {
  const ring = new Keyring();
  await addGivenKeys(ring, args, io);
  const password = args.get('password');
  const salt = args.get('salt');
  if (password !== undefined) {
    const s = salt ?? saltFor(detected);
    if (s === undefined)
      throw new UsageError('describe: --password needs --salt for this input', {
        hint: 'the salt is usually REALM followed by the name components, e.g. EXAMPLE.COMalice',
      });
    addPassword(ring, password, s);
  }
  if (detected.name === 'Ccache') {
    for (const c of ticketsOf(detected.value as Ccache)) {
      ring.add(c.key.etype, c.key.bytes, `session key of ${formatCredsPrincipal(c.server)} from the ccache`);
    }
  }
  return ring;
}

function treeOf(d: Detected, opts: ExplainOptions): ExplainNode {
  if (d.name === GssKind.LINES)
    return explainLines(d.value as readonly InputLine<Detected>[], (x) => treeOf(x, opts), sessionOf(opts));
  if (d.name === 'KDC-PROXY-MESSAGE') {
    const m = d.value as KdcProxyMessage;
    const inner = d.inner === undefined ? [] : [treeOf(d.inner, opts)];
    return {
      label: 'KDC-PROXY-MESSAGE',
      value: m.targetDomain ?? 'no target domain',
      note: 'Kerberos over HTTPS (MS-KKDCP)',
      children: inner,
    };
  }
  return explainAs(d.name, d.value, opts);
}

function inputNote(d: Detected): string | undefined {
  const parts = [
    d.encoding === 'binary'
      ? undefined
      : d.encoding === 'negotiate'
        ? 'Negotiate header'
        : `${d.encoding} text`,
    d.framed ? 'TCP length prefix removed' : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : `input: ${parts.join(', ')}`;
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const pcap = args.get('pcap');
  if (pcap !== undefined) {
    if (args.positionals.length > 0)
      throw new UsageError('describe: --pcap reads the capture; give no other input', {
        hint: 'tskrb describe --pcap capture.pcap --keytab service.keytab',
      });
    return describePcap(pcap, args, io);
  }
  if (args.has('port')) throw new UsageError('describe: --port goes with --pcap');
  const [file, ...extra] = args.positionals;
  if (file === undefined)
    throw new UsageError('describe: name a file, or - for standard input', { hint: 'tskrb describe --help' });
  if (extra.length > 0)
    throw new UsageError(`describe: one input at a time (got ${args.positionals.length})`);
  const raw = file === '-' ? await io.readStdin() : await io.readFile(file);
  const detected = detectInput(raw);
  const ring = await keyringOf(args, io, detected);
  const showKeys = args.has('show-keys');
  const opts: GssExplainOptions = {
    showKeys,
    open: (ed, usages, kind, owner) => ring.open(ed, usages, kind, owner),
    kdcKeys: () => ring.kdcKeys(),
    gss: new GssSession(() => ring.keys),
  };
  const tree = treeOf(detected, opts);
  if (args.has('json')) {
    const { name, encoding, framed, value } = detected;
    io.stdout(`${toJson({ kind: name, encoding, framed, value, explain: tree }, { showKeys })}\n`);
    return 0;
  }
  const note = inputNote(detected);
  if (note !== undefined) io.stdout(`${note}\n`);
  io.stdout(renderTree(tree, { color: io.color }));
  return 0;
}

/** The describe command. */
export const describeCommand: Command = {
  name: 'describe',
  summary:
    'decode and explain a ccache, keytab, kirbi, Kerberos message, GSS-API/SPNEGO token or PAC, opening what the keys fit',
  usage:
    'describe <file|-> | --pcap CAPTURE [--port N]… [--key etype:hex]… [--keytab FILE]… [--password P [--salt S]] [--json] [--show-keys]',
  description: [
    'Reads a file (or standard input with -), binary or as hex or base64 text, and recognises a MIT ccache, a keytab,',
    'a kirbi (KRB-CRED), any Kerberos message (AS-REQ … KRB-ERROR, AP-REQ), a Ticket, a KDC-PROXY-MESSAGE or a raw PAC.',
    'Every encrypted part is tried with the keys given and with the session keys and subkeys learned on the way:',
    'tickets with service keys (usage 2), AS-REP parts with the client key (3), TGS-REP parts with the TGT session key',
    'or subkey (8, 9), authenticators (7, 11). An opened ticket shows its PAC, with signatures checked when keys fit.',
    'FAST (RFC 6113): an opened authenticator with a subkey makes the armor key that opens the KrbFastReq (51) and',
    'KrbFastResponse (52); its strengthen-key makes the reply key of the armored AS-REP or TGS-REP.',
    'GSS-API tokens (RFC 4121: AP-REQ with its 0x8003 checksum and delegated KRB-CRED, AP-REP, KRB-ERROR, MIC and',
    'Wrap; RFC 4757 rc4-hmac MIC and Wrap) and SPNEGO tokens (NegTokenInit, NegTokenInit2, NegTokenResp) are read',
    'as files, hex, base64 or a `Negotiate <base64>` header line (with or without `Authorization:`). Several tokens,',
    'one a line, are explained in order: the session key and subkeys they teach open the Wrap tokens and verify the',
    'MIC tokens (and a mechListMIC) that follow.',
    'With --pcap it reads a capture (tcpdump, tshark, dumpcap), reassembles Kerberos over UDP and TCP on port 88 (or',
    '--port) and explains each exchange in order, carrying session keys learned in one exchange into the next.',
  ].join('\n'),
  options: [
    {
      name: 'key',
      value: 'ETYPE:HEX',
      repeat: true,
      help: 'a key to try, e.g. 18:00112233… or aes256:00112233…',
    },
    {
      name: 'keytab',
      value: 'FILE',
      repeat: true,
      help: 'try every key of a keytab (service keys, krbtgt keys)',
    },
    {
      name: 'password',
      value: 'P',
      help: 'derive the client key from a password (salt from --salt or the input)',
    },
    {
      name: 'salt',
      value: 'S',
      help: 'the string-to-key salt, usually REALM followed by the name (EXAMPLE.COMalice)',
    },
    {
      name: 'pcap',
      value: 'FILE',
      help: 'read a libpcap/pcapng capture and explain each Kerberos exchange in it, in order',
    },
    {
      name: 'port',
      value: 'PORT',
      repeat: true,
      help: 'with --pcap: the KDC port(s) to follow (default 88 and the lab ports)',
    },
    { name: 'json', help: 'print one JSON line: the decoded value and the explain tree' },
    { name: 'show-keys', help: 'show key bytes instead of [key etype 18, 32 bytes]' },
  ],
  examples: [
    'tskrb describe /tmp/krb5cc_1000 --keytab /etc/krb5.keytab',
    'tskrb describe service.keytab --show-keys',
    'tskrb describe ticket.kirbi',
    'tskrb describe --pcap kdc.pcapng --keytab service.keytab --keytab krbtgt.keytab',
    'tskrb describe --pcap lab.pcap --port 10088 --password "$PW" --json',
    'tskrb describe as-rep.der --password "$PW" --salt EXAMPLE.COMalice',
    'echo 6c8201…  | tskrb describe - --key aes256:7f3e…',
    "echo 'Authorization: Negotiate YIIH…' | tskrb describe - --keytab http.keytab",
    'tskrb describe gss-session.hex --keytab service.keytab   # AP-REQ, AP-REP, Wrap, MIC: one hex token a line',
  ],
  run,
};
