/** Building AS-REQs and their pre-authentication. RFC 4120 5.4.1, 5.2.7.2 (PA-ENC-TIMESTAMP), MS-KILE 2.2.3 (PA-PAC-REQUEST). */
import {
  type AsReq,
  encodeEncryptedData,
  encodePaEncTsEnc,
  encodePaPacRequest,
  type KdcOptions,
  MessageType,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { encrypt, type Key, KeyUsage } from '../crypto/index.js';
import type { Principal } from './principal.js';

/** What every KDC-REQ body asks for, AS or TGS. */
export interface KdcReqBodyParams {
  /** The service asked for (for AS usually `krbtgt/REALM@REALM`; for TGS its realm is the TGS's). */
  readonly server: Principal;
  readonly options: Partial<KdcOptions>;
  readonly nonce: number;
  readonly till: Date;
  readonly rtime?: Date | undefined;
  /** Enctypes in order of preference. */
  readonly etypes: readonly number[];
  readonly padata?: readonly PaData[] | undefined;
}

/** Parameters of an AS-REQ. */
export interface AsReqParams extends KdcReqBodyParams {
  readonly client: Principal;
}

/** An AS-REQ value from its parameters (not yet encoded). */
export function buildAsReq(p: AsReqParams): AsReq {
  return {
    pvno: 5,
    msgType: MessageType.AS_REQ,
    ...(p.padata && p.padata.length > 0 ? { padata: [...p.padata] } : {}),
    reqBody: {
      kdcOptions: p.options,
      cname: p.client.name,
      realm: p.server.realm,
      sname: p.server.name,
      till: p.till,
      ...(p.rtime ? { rtime: p.rtime } : {}),
      nonce: p.nonce,
      etype: [...p.etypes],
    },
  } as AsReq;
}

/** PA-ENC-TIMESTAMP: the current time encrypted in the client's long-term key (usage 1). */
export function makePaEncTimestamp(key: Key, now: Date, usec: number, confounder?: Uint8Array): PaData {
  const plain = encodePaEncTsEnc({ patimestamp: now, pausec: usec });
  const cipher = encrypt(key, KeyUsage.AsReqPaEncTimestamp, plain, confounder ? { confounder } : {});
  return {
    padataType: PaDataType.ENC_TIMESTAMP,
    padataValue: encodeEncryptedData({ etype: key.etype, cipher }),
  };
}

/** PA-PAC-REQUEST asking the KDC to include (or omit) a PAC. */
export function makePaPacRequest(includePac: boolean): PaData {
  return { padataType: PaDataType.PAC_REQUEST, padataValue: encodePaPacRequest({ includePac }) };
}
