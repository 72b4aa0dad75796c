/**
 * Armored requests (RFC 6113 5.4.2): the inner KrbFastReq encrypted in the armor key (usage 51), the req-checksum
 * keyed with the armor key (usage 50) over the outer KDC-REQ-BODY (AS) or over the PA-TGS-REQ AP-REQ (TGS).
 */
import {
  encodeKrbFastReq,
  encodePaFxFastRequest,
  type FastOptions,
  type KdcReqBody,
  type KrbFastArmor,
  type KrbFastArmoredReq,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { checksumTypeOf, encrypt, type Key, KeyUsage, makeChecksum } from '../crypto/index.js';

/** What goes into a PA-FX-FAST-REQUEST. */
export interface FastRequestParams {
  readonly armorKey: Key;
  /** Explicit armor (AS; optional for TGS, where the PA-TGS-REQ is the implicit armor). */
  readonly armor?: KrbFastArmor | undefined;
  /** The bytes req-checksum covers: the encoded outer KDC-REQ-BODY (AS) or the encoded PA-TGS-REQ AP-REQ (TGS). */
  readonly checksummed: Uint8Array;
  /** The inner request body (the KDC uses it in place of the outer one). */
  readonly reqBody: KdcReqBody;
  /** The inner padata: pre-authentication, PA-FX-COOKIE, PA-PAC-REQUEST, S4U padata… */
  readonly padata: readonly PaData[];
  readonly fastOptions?: Partial<FastOptions> | undefined;
  /** Confounder for exact-byte tests. */
  readonly confounder?: Uint8Array | undefined;
}

/** The KrbFastArmoredReq of a request (not yet wrapped in PA-DATA). */
export function makeArmoredReq(p: FastRequestParams): KrbFastArmoredReq {
  const cksumtype = checksumTypeOf(p.armorKey.etype);
  const inner = encodeKrbFastReq({
    fastOptions: p.fastOptions ?? {},
    padata: [...p.padata],
    reqBody: p.reqBody,
  } as Parameters<typeof encodeKrbFastReq>[0]);
  return {
    ...(p.armor ? { armor: p.armor } : {}),
    reqChecksum: {
      cksumtype,
      checksum: makeChecksum(cksumtype, p.armorKey, KeyUsage.FastReqChksum, p.checksummed),
    },
    encFastReq: {
      etype: p.armorKey.etype,
      cipher: encrypt(p.armorKey, KeyUsage.FastEnc, inner, p.confounder ? { confounder: p.confounder } : {}),
    },
  };
}

/** PA-FX-FAST (136) carrying a PA-FX-FAST-REQUEST. */
export function makePaFxFastRequest(p: FastRequestParams): PaData {
  return {
    padataType: PaDataType.FX_FAST,
    padataValue: encodePaFxFastRequest({ armoredData: makeArmoredReq(p) }),
  };
}
