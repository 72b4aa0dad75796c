/** tskrb/pcap: libpcap and pcapng readers, link and IP decoding with fragment reassembly, TCP stream reassembly. */
export { type Capture, type CapturedPacket, type CaptureInterface, readCapture } from './capture.js';
export { LinkType } from './constants.js';
export { Defragmenter, type IpPacket, type IpResult, ipPayload } from './ip.js';
export { isKnownLinkType, type LinkPayload, linkPayload } from './link.js';
export { type Endpoint, endpointText, type Segment, segmentOf } from './segment.js';
export { TcpReassembler } from './tcp.js';
