import { describe, expect, it } from 'vitest';
import { linkPayload } from '../../src/pcap/link.js';
import { ethernet, ipv4, ipv6, nullLink, sll, sll2, udp } from './fixtures.js';

const v4 = ipv4('127.0.0.1', '127.0.0.2', 17, udp(1, 88, Uint8Array.of(9)));
const v6 = ipv6('::1', '::1', 17, udp(1, 88, Uint8Array.of(9)));

describe('link layers (tcpdump.org link types)', () => {
  it.each([
    ['Ethernet, IPv4', 1, ethernet(0x0800, v4), 4, v4],
    ['Ethernet, IPv6', 1, ethernet(0x86dd, v6), 6, v6],
    ['Ethernet with an 802.1Q tag', 1, ethernet(0x0800, v4, true), 4, v4],
    ['Linux cooked SLL', 113, sll(0x0800, v4), 4, v4],
    ['Linux cooked SLL2, IPv6', 276, sll2(0x86dd, v6), 6, v6],
    ['raw IP (v4 by its version nibble)', 101, v4, 4, v4],
    ['raw IP (v6 by its version nibble)', 101, v6, 6, v6],
    ['LINKTYPE_IPV4', 228, v4, 4, v4],
    ['LINKTYPE_IPV6', 229, v6, 6, v6],
    ['NULL written little-endian, AF_INET', 0, nullLink(2, v4, true), 4, v4],
    ['NULL written big-endian, AF_INET', 0, nullLink(2, v4, false), 4, v4],
    ['NULL, AF_INET6 of the BSDs (24)', 0, nullLink(24, v6, true), 6, v6],
    ['NULL, AF_INET6 of Darwin (30)', 0, nullLink(30, v6, false), 6, v6],
    ['LOOP (big-endian family)', 108, nullLink(2, v4, false), 4, v4],
  ])('%s', (_, linkType, frame, version, ip) => {
    const p = linkPayload(linkType, frame);
    expect(p?.version).toBe(version);
    expect([...(p?.bytes ?? [])]).toEqual([...ip]);
  });

  it.each([
    ['ARP over Ethernet', 1, ethernet(0x0806, new Uint8Array(28))],
    ['a frame shorter than an Ethernet header', 1, Uint8Array.of(1, 2, 3)],
    ['an SLL frame shorter than its header', 113, new Uint8Array(10)],
    ['an unknown link type', 147, v4],
    ['raw bytes with version nibble 5', 101, Uint8Array.of(0x50, 0)],
    ['NULL with an unknown family', 0, nullLink(99, v4, true)],
    ['empty raw frame', 101, new Uint8Array(0)],
  ])('%s yields nothing', (_, linkType, frame) => {
    expect(linkPayload(linkType, frame)).toBeUndefined();
  });
});
