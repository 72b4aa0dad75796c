import { describe, expect, it } from 'vitest';
import { kerberosExchanges } from '../../src/explain/capture-exchanges.js';
import { encodeNegotiationToken, NegState } from '../../src/gss/spnego-codec.js';
import { readCapture } from '../../src/pcap/capture.js';
import { toBase64, utf8 } from '../../src/util/bytes.js';
import { s4u2ProxyExchange, s4u2SelfExchange } from '../cli/fixtures.js';
import {
  ACK,
  ethernet,
  ipv4,
  ipv6,
  pcapFile,
  pcapngSection,
  record,
  SYN,
  sll2,
  tcp,
  udp,
} from '../pcap/fixtures.js';

const PORTS = new Set([88]);
const self = s4u2SelfExchange();
const proxy = s4u2ProxyExchange();

const udp4 = (src: string, sport: number, dst: string, dport: number, msg: Uint8Array): Uint8Array =>
  ethernet(0x0800, ipv4(src, dst, 17, udp(sport, dport, msg)));

function pcapOf(frames: Uint8Array[], linkType = 1): Uint8Array {
  return pcapFile({
    little: true,
    nano: false,
    linkType,
    packets: frames.map((data, i) => ({ sec: 1700000000 + i, frac: 0, data })),
  });
}

describe('Kerberos exchanges in a capture', () => {
  it('UDP: two clients interleaved, each reply paired with its own request', () => {
    const cap = readCapture(
      pcapOf([
        udp4('10.0.0.5', 50000, '10.0.0.1', 88, self.request),
        udp4('10.0.0.6', 50001, '10.0.0.1', 88, proxy.request),
        udp4('10.0.0.1', 88, '10.0.0.6', 50001, proxy.reply),
        udp4('10.0.0.1', 88, '10.0.0.5', 50000, self.reply),
      ]),
    );
    const r = kerberosExchanges(cap, PORTS);
    expect(r.records).toBe(4);
    expect(
      r.exchanges.map((x) => [
        x.client.addr,
        x.request?.frame,
        x.request?.message?.type,
        x.reply?.frame,
        x.reply?.message?.type,
      ]),
    ).toEqual([
      ['10.0.0.5', 1, 'TGS-REQ', 4, 'TGS-REP'],
      ['10.0.0.6', 2, 'TGS-REQ', 3, 'TGS-REP'],
    ]);
    expect(r.exchanges[0]!.request!.timestampNs).toBe(1700000000_000000000n);
  });

  it('UDP: a retried request and a repeated reply are retransmissions of one exchange', () => {
    const req = udp4('10.0.0.5', 50000, '10.0.0.1', 88, self.request);
    const rep = udp4('10.0.0.1', 88, '10.0.0.5', 50000, self.reply);
    const r = kerberosExchanges(readCapture(pcapOf([req, req, rep, rep])), PORTS);
    expect(r.exchanges).toHaveLength(1);
    expect(r.exchanges[0]!.retransmissions).toBe(2);
    expect(r.exchanges[0]!.reply?.frame).toBe(3);
    // The same datagrams captured on a second interface after the reply (tshark -i lo -i any).
    const twice = kerberosExchanges(readCapture(pcapOf([req, rep, req, rep])), PORTS);
    expect(twice.exchanges.map((x) => [x.request?.frame, x.reply?.frame, x.retransmissions])).toEqual([
      [1, 2, 2],
    ]);
  });

  it('one UDP port, two exchanges, each seen on two interfaces written one after the other: paired in time order', () => {
    // A client that reuses its UDP socket (tskrb's pool) sends S4U2Self then S4U2Proxy from one port; tshark -i lo -i any
    // writes lo's four frames, then any's four with the same times.
    const frames = [
      udp4('10.0.0.5', 50000, '10.0.0.1', 88, self.request),
      udp4('10.0.0.1', 88, '10.0.0.5', 50000, self.reply),
      udp4('10.0.0.5', 50000, '10.0.0.1', 88, proxy.request),
      udp4('10.0.0.1', 88, '10.0.0.5', 50000, proxy.reply),
    ];
    const times = [0, 1, 2, 3, 0, 1, 2, 3];
    const cap = readCapture(
      pcapFile({
        little: true,
        nano: false,
        linkType: 1,
        packets: [...frames, ...frames].map((data, i) => ({ sec: 1700000000 + times[i]!, frac: 0, data })),
      }),
    );
    const r = kerberosExchanges(cap, PORTS);
    expect(
      r.exchanges.map((x) => [x.request?.frame, x.request?.message?.type, x.reply?.frame, x.retransmissions]),
    ).toEqual([
      [1, 'TGS-REQ', 2, 2],
      [3, 'TGS-REQ', 4, 2],
    ]);
    expect(r.exchanges[1]!.request!.bytes).toEqual(proxy.request);
  });

  it('TCP over IPv6 in SLL2 frames: segments reassembled, then paired', () => {
    const c = { a: '2001:db8::5', p: 40000 };
    const k = { a: '2001:db8::1', p: 88 };
    const req = record(proxy.request);
    const rep = record(proxy.reply);
    const t6 = (from: typeof c, to: typeof c, seq: number, flags: number, data: Uint8Array): Uint8Array =>
      sll2(0x86dd, ipv6(from.a, to.a, 6, tcp(from.p, to.p, seq, flags, data, true)));
    const frames = [
      t6(c, k, 100, SYN, new Uint8Array(0)),
      t6(k, c, 900, SYN | ACK, new Uint8Array(0)),
      t6(c, k, 101 + 50, ACK, req.subarray(50)),
      t6(c, k, 101, ACK, req.subarray(0, 50)),
      t6(k, c, 901, ACK, rep.subarray(0, 30)),
      t6(k, c, 901, ACK, rep.subarray(0, 30)),
      t6(k, c, 931, ACK, rep.subarray(30)),
    ];
    const cap = readCapture(
      pcapngSection({
        little: false,
        interfaces: [{ linkType: 276 }],
        packets: frames.map((data) => ({ data })),
      }),
    );
    const r = kerberosExchanges(cap, PORTS);
    expect(r.exchanges.map((x) => [x.transport, x.request?.frame, x.reply?.frame])).toEqual([['tcp', 4, 7]]);
    expect(r.exchanges[0]!.client).toEqual({ addr: '2001:db8::5', port: 40000 });
    expect(r.tcpRetransmissions).toBe(1);
    expect([...r.exchanges[0]!.reply!.bytes]).toEqual([...proxy.reply]);
  });

  it('a reply without its request, an undecodable datagram, other ports, and unknown link types', () => {
    const frames = [
      udp4('10.0.0.1', 88, '10.0.0.5', 50000, self.reply),
      udp4('10.0.0.5', 50002, '10.0.0.1', 88, Uint8Array.of(0x6c, 0x03, 0x02, 0x01)),
      udp4('10.0.0.5', 50003, '10.0.0.1', 53, self.request),
    ];
    const r = kerberosExchanges(readCapture(pcapOf(frames)), PORTS);
    expect(
      r.exchanges.map((x) => [x.request?.frame, x.reply?.frame, x.request?.error !== undefined]),
    ).toEqual([
      [undefined, 1, false],
      [2, undefined, true],
    ]);
    const other = kerberosExchanges(readCapture(pcapOf(frames, 147)), PORTS);
    expect(other.exchanges).toEqual([]);
    expect(other.warnings).toEqual(['link type 147 is not read (3 times)']);
  });

  it('unanswered requests of one flow are bounded: past 64 the oldest gives up waiting', () => {
    const reqs = Array.from({ length: 70 }, (_, i) => {
      const m = self.request.slice();
      m[m.length - 1] = i;
      return udp4('10.0.0.5', 50000, '10.0.0.1', 88, m);
    });
    const r = kerberosExchanges(
      readCapture(pcapOf([...reqs, udp4('10.0.0.1', 88, '10.0.0.5', 50000, self.reply)])),
      PORTS,
    );
    expect(r.exchanges).toHaveLength(70);
    expect(r.exchanges.findIndex((x) => x.reply !== undefined)).toBe(6);
  });

  it('packets the snap length cut are reported only when they are on a Kerberos port', () => {
    const cut = (dport: number) => udp4('10.0.0.5', 50000, '10.0.0.1', dport, self.request).subarray(0, 60);
    const r = kerberosExchanges(readCapture(pcapOf([cut(53), cut(88)])), PORTS);
    expect(r.warnings).toEqual(['frame 2: IPv4 packet cut short by the capture (snap length)']);
  });

  it('a fragmented UDP reply is reassembled before decoding', () => {
    const payload = udp(88, 50000, self.reply);
    const cut = 96;
    const frames = [
      udp4('10.0.0.5', 50000, '10.0.0.1', 88, self.request),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.5', 17, payload.subarray(cut), { id: 4, frag: cut / 8 })),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.5', 17, payload.subarray(0, cut), { id: 4, frag: 0x2000 })),
    ];
    const r = kerberosExchanges(readCapture(pcapOf(frames)), PORTS);
    expect(r.exchanges.map((x) => [x.request?.frame, x.reply?.frame, x.reply?.message?.type])).toEqual([
      [1, 3, 'TGS-REP'],
    ]);
  });
});

describe('Kerberos found by content (scan)', () => {
  const t4 = (sport: number, dport: number, seq: number, flags: number, data: Uint8Array, back = false) =>
    ethernet(
      0x0800,
      ipv4(
        back ? '10.0.0.1' : '10.0.0.5',
        back ? '10.0.0.5' : '10.0.0.1',
        6,
        tcp(sport, dport, seq, flags, data),
      ),
    );
  const resp = encodeNegotiationToken({ negTokenResp: { negState: NegState.ACCEPT_COMPLETED } });
  const frames = [
    udp4('10.0.0.5', 50000, '10.0.0.1', 21088, self.request),
    udp4('10.0.0.1', 21088, '10.0.0.5', 50000, self.reply),
    t4(40000, 22088, 100, SYN, new Uint8Array(0)),
    t4(40000, 22088, 101, ACK, record(proxy.request).subarray(0, 20)),
    t4(40000, 22088, 121, ACK, record(proxy.request).subarray(20)),
    t4(22088, 40000, 500, ACK, record(proxy.reply), true),
    t4(40001, 8080, 1, ACK, utf8(`GET / HTTP/1.1\r\nAuthorization: Negotiate ${toBase64(resp)}\r\n\r\n`)),
    t4(
      8080,
      40001,
      1,
      ACK,
      utf8(`HTTP/1.1 200 OK\r\nWWW-Authenticate: Negotiate ${toBase64(resp)}\r\n\r\n`),
      true,
    ),
    udp4('10.0.0.5', 50009, '10.0.0.1', 53, utf8('no kerberos here')),
  ];

  it('KDC messages on unknown UDP and TCP ports and Negotiate over HTTP, in order, with the ports found', () => {
    const r = kerberosExchanges(readCapture(pcapOf(frames)), PORTS, { scan: true });
    expect(
      r.exchanges.map((x) => [x.transport, x.carrier, x.server.port, x.request?.frame, x.reply?.frame]),
    ).toEqual([
      ['udp', 'kerberos', 21088, 1, 2],
      ['tcp', 'kerberos', 22088, 5, 6],
      ['tcp', 'http-negotiate', 8080, 7, 8],
    ]);
    expect(r.exchanges[1]!.request?.message?.type).toBe('TGS-REQ');
    expect(r.exchanges[2]!.request?.gss?.name).toBe('SPNEGO');
    expect(r).toMatchObject({ records: 0, found: { records: 6, exchanges: 3, ports: [21088, 22088, 8080] } });
    expect(r.warnings).toEqual([]);
  });

  it('without scan, only the ports given are followed', () => {
    const r = kerberosExchanges(readCapture(pcapOf(frames)), PORTS);
    expect(r.exchanges).toEqual([]);
    expect(r.found).toEqual({ records: 0, exchanges: 0, ports: [] });
  });
});
