/** Numbers of the capture formats and the protocols a capture carries, and the bounds the reader keeps. */

/** libpcap file magics as read big-endian (draft-ietf-opsawg-pcap 4). */
export const PcapMagic = {
  MICROSECONDS: 0xa1b2c3d4,
  NANOSECONDS: 0xa1b23c4d,
} as const;

/** pcapng block types (draft-ietf-opsawg-pcapng 4, 10.1). */
export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  PACKET_OBSOLETE: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  ENHANCED_PACKET: 0x00000006,
} as const;

/** pcapng's byte-order magic, as written by the capturing host. */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** pcapng option codes used here (draft-ietf-opsawg-pcapng 4.2). */
export const OptionCode = {
  END_OF_OPT: 0,
  IF_TSRESOL: 9,
} as const;

/** Default pcapng timestamp resolution: 10^-6 s. */
export const DEFAULT_TSRESOL_EXPONENT = 6;

/** LINKTYPE_ values (tcpdump.org link types) the reader understands. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** The libpcap header's link-type field keeps the type in its low 16 bits; the rest is FCS information. */
export const LINKTYPE_MASK = 0xffff;

/** EtherTypes. */
export const EtherType = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  VLAN: 0x8100,
  QINQ: 0x88a8,
} as const;

/** Address families in NULL/LOOP headers: AF_INET everywhere, AF_INET6 by OS (Linux, BSDs, Darwin). */
export const AF_INET = 2;
/** AF_INET6 values of the common systems. */
export const AF_INET6 = new Set([10, 24, 28, 30]);

/** IP protocol numbers and IPv6 extension headers. */
export const IpProto = {
  HOP_BY_HOP: 0,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  DEST_OPTS: 60,
} as const;

/** TCP flag bits. */
export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04 } as const;

/** Bounds that keep a hostile capture from exhausting memory. */
export const Limits = {
  /** Largest captured packet accepted (Wireshark's own maximum). */
  MAX_PACKET: 262144,
  /** Largest pcapng block. */
  MAX_BLOCK: 16 * 1024 * 1024,
  /** Largest Kerberos record over TCP (RFC 4120 7.2.2 length), and the most bytes buffered per direction. */
  MAX_RECORD: 1024 * 1024,
  /** Out-of-order TCP data held per direction before the stream is given up. */
  MAX_PENDING_BYTES: 1024 * 1024,
  MAX_PENDING_SEGMENTS: 1024,
  /** TCP directions followed at once. */
  MAX_STREAMS: 4096,
  /** IP datagrams being reassembled from fragments at once. */
  MAX_FRAGMENTED: 256,
  /** Largest reassembled IP datagram. */
  MAX_DATAGRAM: 65535,
  /** VLAN tags skipped. */
  MAX_VLAN_TAGS: 4,
  /** IPv6 extension headers skipped. */
  MAX_IPV6_EXTENSIONS: 8,
  /** Interfaces per pcapng section. */
  MAX_INTERFACES: 1024,
  /** Requests of one flow waiting for their replies. */
  MAX_OPEN_REQUESTS: 64,
  /** Warnings kept (the rest are counted). */
  MAX_WARNINGS: 50,
} as const;

/** TCP record marker: the high bit is reserved for extensions (RFC 5021). */
export const RECORD_EXTENSION_BIT = 0x80000000;
/** Bytes of the TCP record marker. */
export const RECORD_MARKER_LENGTH = 4;
