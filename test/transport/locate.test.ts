import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/krb5conf.js';
import {
  chainLocators,
  krb5ConfLocator,
  type SrvRecord,
  srvLocator,
  staticLocator,
} from '../../src/transport/locate.js';

const stub = (table: Record<string, SrvRecord[] | string>) => ({
  queries: [] as string[],
  async resolveSrv(name: string): Promise<SrvRecord[]> {
    this.queries.push(name);
    const v = table[name];
    if (v === undefined) throw Object.assign(new Error(`queryNotFound ${name}`), { code: 'ENOTFOUND' });
    if (typeof v === 'string') throw Object.assign(new Error(`${v} ${name}`), { code: v });
    return v;
  },
});
const srv = (name: string, port: number, priority: number, weight: number): SrvRecord => ({
  name,
  port,
  priority,
  weight,
});

describe('staticLocator', () => {
  it('parses each realm list and knows nothing of other realms', async () => {
    const l = staticLocator({ 'A.TEST': ['a:88', 'tcp/b:99'] });
    expect(await l('A.TEST')).toEqual([
      { host: 'a', port: 88, protocol: 'auto' },
      { host: 'b', port: 99, protocol: 'tcp' },
    ]);
    expect(await l('B.TEST')).toEqual([]);
  });
});

describe('srvLocator (RFC 4120 7.2.3.2)', () => {
  it('orders by priority then weight, merges a host offered on both protocols, skips "."', async () => {
    const r = stub({
      '_kerberos._udp.R.TEST': [srv('b.r.test', 88, 10, 0), srv('a.r.test.', 88, 0, 5), srv('.', 0, 0, 0)],
      '_kerberos._tcp.R.TEST': [srv('a.r.test', 88, 0, 5), srv('c.r.test', 8888, 0, 50)],
    });
    expect(await srvLocator(r)('R.TEST')).toEqual([
      { host: 'c.r.test', port: 8888, protocol: 'tcp' },
      { host: 'a.r.test', port: 88, protocol: 'auto' },
      { host: 'b.r.test', port: 88, protocol: 'udp' },
    ]);
    expect(r.queries.sort()).toEqual(['_kerberos._tcp.R.TEST', '_kerberos._udp.R.TEST']);
  });

  it('no records is an empty list; a failing name server is a TransportError', async () => {
    expect(await srvLocator(stub({}))('R.TEST')).toEqual([]);
    await expect(srvLocator(stub({ '_kerberos._udp.R.TEST': 'ETIMEOUT' }))('R.TEST')).rejects.toThrow(
      TransportError,
    );
  });

  it('uses node:dns: a Resolver pointed at a loopback DNS server answering SRV', async () => {
    const dns = await startSrvServer({
      '_kerberos._udp.lab.test': [[0, 0, 88, 'kdc.lab.test']],
      '_kerberos._tcp.lab.test': [[0, 0, 88, 'kdc.lab.test']],
    });
    try {
      const resolver = new Resolver({ timeout: 1000, tries: 1 });
      resolver.setServers([`127.0.0.1:${dns.port}`]);
      expect(await srvLocator(resolver)('lab.test')).toEqual([
        { host: 'kdc.lab.test', port: 88, protocol: 'auto' },
      ]);
      expect(await srvLocator(resolver)('none.test')).toEqual([]);
    } finally {
      await dns.close();
    }
  });
});

describe('krb5ConfLocator and chainLocators', () => {
  const conf = (dns: string) =>
    krb5Settings(
      parseKrb5Conf(`[libdefaults]\n dns_lookup_kdc = ${dns}\n[realms]\n A.TEST = {\n  kdc = udp/a:88\n }\n`),
    );
  const resolver = stub({ '_kerberos._udp.B.TEST': [srv('b', 88, 0, 0)] });

  it('listed KDCs first; SRV only for unlisted realms and only when dns_lookup_kdc is on', async () => {
    expect(await krb5ConfLocator(conf('true'), resolver)('A.TEST')).toEqual([
      { host: 'a', port: 88, protocol: 'udp' },
    ]);
    expect(await krb5ConfLocator(conf('true'), resolver)('B.TEST')).toEqual([
      { host: 'b', port: 88, protocol: 'udp' },
    ]);
    expect(await krb5ConfLocator(conf('false'), resolver)('B.TEST')).toEqual([]);
  });

  it('chainLocators returns the first non-empty answer', async () => {
    const l = chainLocators(staticLocator({ 'A.TEST': ['x:1'] }), krb5ConfLocator(conf('false')));
    expect((await l('A.TEST')).map((e) => e.host)).toEqual(['x']);
    expect(await l('C.TEST')).toEqual([]);
  });
});

/** A minimal DNS server on 127.0.0.1 answering SRV queries from a table (RFC 1035 4.1, RFC 2782). */
async function startSrvServer(table: Record<string, [number, number, number, string][]>) {
  const sock = createSocket('udp4');
  const name = (labels: string) => {
    const out: number[] = [];
    for (const l of labels.split('.').filter(Boolean)) out.push(l.length, ...new TextEncoder().encode(l));
    return [...out, 0];
  };
  sock.on('message', (q, rinfo) => {
    let at = 12;
    const labels: string[] = [];
    while (q[at]! !== 0) {
      const n = q[at]!;
      labels.push(new TextDecoder().decode(q.subarray(at + 1, at + 1 + n)));
      at += n + 1;
    }
    const question = q.subarray(12, at + 5);
    const records = table[labels.join('.')] ?? [];
    const answers = records.flatMap(([prio, weight, port, target]) => {
      const rdata = [
        prio >> 8,
        prio & 255,
        weight >> 8,
        weight & 255,
        port >> 8,
        port & 255,
        ...name(target),
      ];
      return [0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 60, rdata.length >> 8, rdata.length & 255, ...rdata];
    });
    const rcode = records.length ? 0 : 3;
    const header = [q[0]!, q[1]!, 0x85, 0x80 | rcode, 0, 1, 0, records.length, 0, 0, 0, 0];
    sock.send(new Uint8Array([...header, ...question, ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { port: sock.address().port, close: () => new Promise<void>((r) => sock.close(() => r())) };
}
