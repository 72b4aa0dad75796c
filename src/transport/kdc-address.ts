/**
 * KDC addresses as krb5.conf and users write them: `host`, `host:port`, `[v6]:port`, `tcp/host:port`,
 * `udp/host:port`, and `https://proxy/path` for KKDCP (MIT krb5.conf(5), [realms] kdc).
 */
import { FormatError } from '../errors.js';
import { HTTPS_PORT, KERBEROS_PORT } from './constants.js';
import type { KdcAttemptAddress, KdcEndpoint } from './types.js';

const PROTOCOL_PREFIX = /^(tcp|udp)\/(.*)$/i;

function parsePort(text: string, whole: string): number {
  if (!/^\d{1,5}$/.test(text)) throw badAddress(whole, `port '${text}' is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw badAddress(whole, `port ${port} is outside 1..65535`);
  return port;
}

function badAddress(whole: string, why: string): FormatError {
  return new FormatError(`KDC address '${whole}': ${why}`, {
    hint: 'write host, host:port, [IPv6]:port, tcp/host:port, udp/host:port or https://host/path',
  });
}

/** Parses one KDC address; the port defaults to 88 (443 for https). Throws FormatError. */
export function parseKdcAddress(text: string, defaultPort: number = KERBEROS_PORT): KdcEndpoint {
  const whole = text;
  let rest = text.trim();
  if (/^https:\/\//i.test(rest)) {
    let url: URL;
    try {
      url = new URL(rest);
    } catch (e) {
      throw new FormatError(`KDC address '${whole}': not a valid URL`, { cause: e });
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { host, port: url.port ? Number(url.port) : HTTPS_PORT, protocol: 'https', url: url.href };
  }
  let protocol: KdcEndpoint['protocol'] = 'auto';
  const m = PROTOCOL_PREFIX.exec(rest);
  if (m) {
    protocol = m[1]!.toLowerCase() as 'tcp' | 'udp';
    rest = m[2]!;
  }
  if (rest.length === 0) throw badAddress(whole, 'empty host');
  let host: string;
  let port = defaultPort;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw badAddress(whole, "missing ']'");
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(':')) throw badAddress(whole, `unexpected '${after}' after ']'`);
      port = parsePort(after.slice(1), whole);
    }
  } else {
    const colons = rest.split(':').length - 1;
    if (colons === 1) {
      const i = rest.indexOf(':');
      host = rest.slice(0, i);
      port = parsePort(rest.slice(i + 1), whole);
    } else {
      // No colon, or a bare IPv6 address (several colons, no port).
      host = rest;
    }
  }
  if (host.length === 0 || /[\s/@]/.test(host)) throw badAddress(whole, `bad host '${host}'`);
  return { host, port, protocol };
}

/** `host:port` (IPv6 in brackets), as error messages and TransportError.kdc show it. */
export function formatHostPort(a: { host: string; port: number }): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** `proto/host:port` for an attempt (the proxy URL for KKDCP). */
export function formatAttemptAddress(a: KdcAttemptAddress): string {
  if (a.proto === 'https' && a.url !== undefined) return a.url;
  return `${a.proto}/${formatHostPort(a)}`;
}
