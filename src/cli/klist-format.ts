/**
 * klist's text: a ccache and a keytab laid out as MIT klist prints them (dates as MM/DD/YY HH:MM:SS in local
 * time, flag letters as MIT's klist -f), with the flags also spelled out; and the same as a JSON value.
 */
import { decodeTicket } from '../asn1/index.js';
import {
  type Ccache,
  type Credential,
  formatCredsPrincipal,
  type Keytab,
  TicketFlag,
  ticketsOf,
} from '../creds/index.js';
import { enctypeName } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { specName } from '../explain/names.js';
import { toHex } from '../util/bytes.js';

/** Flag letters in the order MIT klist prints them (src/clients/klist/klist.c, flags_string). */
const FLAG_LETTERS: ReadonlyArray<readonly [keyof typeof TicketFlag, string]> = [
  ['forwardable', 'F'],
  ['forwarded', 'f'],
  ['proxiable', 'P'],
  ['proxy', 'p'],
  ['mayPostdate', 'D'],
  ['postdated', 'd'],
  ['invalid', 'i'],
  ['renewable', 'R'],
  ['initial', 'I'],
  ['hwAuthent', 'H'],
  ['preAuthent', 'A'],
  ['transitedPolicyChecked', 'T'],
  ['okAsDelegate', 'O'],
  ['anonymous', 'a'],
];

/** The set flags of a ccache flags word, as spec names (`forwardable`, `pre-authent`), in bit order. */
export function flagNames(flags: number): string[] {
  return (Object.keys(TicketFlag) as (keyof typeof TicketFlag)[])
    .filter((k) => k !== 'reserved' && (flags & TicketFlag[k]) !== 0)
    .map(specName);
}

/** MIT klist's letters for a flags word, e.g. `FRIA`. */
export function flagLetters(flags: number): string {
  return FLAG_LETTERS.filter(([k]) => (flags & TicketFlag[k]) !== 0)
    .map(([, l]) => l)
    .join('');
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `11/23/26 10:40:37` in local time, as MIT klist prints a time in the C locale. */
export function klistTime(d: Date): string {
  return `${two(d.getMonth() + 1)}/${two(d.getDate())}/${two(d.getFullYear() % 100)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The enctype and kvno of a credential's ticket, when the ticket decodes. */
function ticketEtype(c: Credential): { etype: number; kvno: number | undefined } | undefined {
  try {
    const t = decodeTicket(c.ticket);
    return { etype: t.encPart.etype, kvno: t.encPart.kvno };
  } catch (e) {
    if (e instanceof KerberosError) return undefined;
    throw e;
  }
}

/** What to show besides the basics. */
export interface KlistOptions {
  /** Session key and ticket enctypes (-e). */
  etypes?: boolean;
  /** Key bytes (--show-keys). */
  showKeys?: boolean;
}

/** A cache's full name: a path is a FILE cache; `DIR::…`, `KCM:…`, `MEMORY:…` stay as they are. */
export function cacheName(name: string): string {
  return /^(FILE|DIR|KCM|MEMORY):/.test(name) ? name : `FILE:${name}`;
}

/** The ccache as MIT klist lays it out, each ticket with its flags as letters and as names. */
export function formatCcache(cc: Ccache, name: string, o: KlistOptions = {}): string {
  const lines = [
    `Ticket cache: ${cacheName(name)}`,
    `Default principal: ${formatCredsPrincipal(cc.defaultPrincipal)}`,
    '',
    'Valid starting     Expires            Service principal',
  ];
  for (const c of ticketsOf(cc)) {
    lines.push(
      `${klistTime(c.starttime ?? c.authtime)}  ${klistTime(c.endtime)}  ${formatCredsPrincipal(c.server)}`,
    );
    if (c.renewTill !== undefined) lines.push(`\trenew until ${klistTime(c.renewTill)}`);
    lines.push(`\tFlags: ${flagLetters(c.flags)} (${flagNames(c.flags).join(', ') || 'none'})`);
    if (o.etypes) {
      const t = ticketEtype(c);
      const tkt = t === undefined ? 'undecodable' : enctypeName(t.etype);
      lines.push(`\tEtype (skey, tkt): ${enctypeName(c.key.etype)}, ${tkt}`);
    }
    if (o.showKeys) lines.push(`\tSession key: ${toHex(c.key.bytes)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The ccache as a JSON-ready value (ISO times, flags by name). */
export function ccacheJson(cc: Ccache, name: string, o: KlistOptions = {}): unknown {
  return {
    cache: cacheName(name),
    defaultPrincipal: formatCredsPrincipal(cc.defaultPrincipal),
    tickets: ticketsOf(cc).map((c) => {
      const t = ticketEtype(c);
      return {
        client: formatCredsPrincipal(c.client),
        server: formatCredsPrincipal(c.server),
        authtime: c.authtime,
        starttime: c.starttime ?? c.authtime,
        endtime: c.endtime,
        ...(c.renewTill ? { renewTill: c.renewTill } : {}),
        flags: flagNames(c.flags),
        flagLetters: flagLetters(c.flags),
        sessionKeyEtype: c.key.etype,
        ...(t ? { ticketEtype: t.etype, ...(t.kvno === undefined ? {} : { ticketKvno: t.kvno }) } : {}),
        ...(o.showKeys ? { sessionKey: toHex(c.key.bytes) } : {}),
        userToUser: c.isSkey,
      };
    }),
  };
}

/** The keytab as MIT `klist -k [-t] [-e] [-K]` lays it out. */
export function formatKeytab(kt: Keytab, name: string, o: KlistOptions & { times?: boolean } = {}): string {
  const head = o.times ? 'KVNO Timestamp         Principal' : 'KVNO Principal';
  const rule = o.times
    ? '---- ----------------- --------------------------------------------------------'
    : '---- --------------------------------------------------------------------------';
  const lines = [`Keytab name: FILE:${name}`, head, rule];
  for (const e of kt.entries) {
    let l = `${String(e.kvno).padStart(4)} `;
    if (o.times) l += `${klistTime(e.timestamp)} `;
    l += formatCredsPrincipal(e.principal);
    if (o.etypes) l += ` (${enctypeName(e.key.etype)}) `;
    if (o.showKeys) l += ` (0x${toHex(e.key.bytes)})`;
    lines.push(l);
  }
  return `${lines.join('\n')}\n`;
}

/** The keytab as a JSON-ready value (keys only with showKeys). */
export function keytabJson(kt: Keytab, name: string, o: KlistOptions = {}): unknown {
  return {
    keytab: `FILE:${name}`,
    entries: kt.entries.map((e) => ({
      principal: formatCredsPrincipal(e.principal),
      kvno: e.kvno,
      timestamp: e.timestamp,
      etype: e.key.etype,
      etypeName: enctypeName(e.key.etype),
      ...(o.showKeys ? { key: toHex(e.key.bytes) } : {}),
    })),
  };
}
