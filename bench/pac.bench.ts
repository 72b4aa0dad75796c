/**
 * PAC benchmarks: decode, verify (server + KDC signatures, HMAC-MD5 with RC4 keys as AD uses them),
 * and summarize a ~2 KiB PAC with 50 groups, built from saved_pac's logon info by the test NDR writer.
 */
import { bench, describe } from 'vitest';
import { setCryptoBackend } from '../src/crypto/index.js';
import { PacBufferType } from '../src/pac/constants.js';
import { decodePac, summarizePac, verifyPac } from '../src/pac/index.js';
import { key, savedPac, savedPacBytes } from '../test/pac/helpers.js';
import {
  buildPac,
  encodeClientInfo,
  encodeValidationInfo,
  signaturePlaceholder,
  signPac,
} from '../test/pac/ndr-writer.js';

const serverKeys = key(savedPac.serverKey);
const kdcKeys = key(savedPac.kdcKey!);
const base = decodePac(savedPacBytes);
const info = base.logonInfo!;
const groupIds = [
  ...info.groupIds,
  ...Array.from({ length: 49 }, (_, i) => ({ relativeId: 1100 + i, attributes: 7 })),
];
const extraSids = [
  ...info.extraSids,
  ...Array.from({ length: 24 }, (_, i) => ({ sid: `S-1-5-21-1-2-3-${2000 + i}`, attributes: 0x20000007 })),
];
const pacBytes = signPac(
  buildPac([
    {
      type: PacBufferType.LogonInfo,
      data: encodeValidationInfo({
        effectiveName: info.effectiveName,
        fullName: 'Benchmark User With A Longer Full Name',
        logonServer: info.logonServer,
        logonDomainName: info.logonDomainName,
        logonDomainId: info.logonDomainId!,
        userId: info.userId,
        primaryGroupId: info.primaryGroupId,
        groupIds,
        userFlags: info.userFlags,
        extraSids,
      }),
    },
    {
      type: PacBufferType.ClientInfo,
      data: encodeClientInfo(base.clientInfo!.clientId, base.clientInfo!.name),
    },
    { type: PacBufferType.ServerChecksum, data: signaturePlaceholder(-138, 16) },
    { type: PacBufferType.KdcChecksum, data: signaturePlaceholder(-138, 16) },
  ]),
  serverKeys,
  kdcKeys,
);
const decoded = decodePac(pacBytes);
if (decoded.logonInfo?.groupIds.length !== 50 || !verifyPac(decoded, { serverKeys, kdcKeys }).verified) {
  throw new Error('benchmark PAC is not a verified 50-group PAC');
}
const OPTS = { time: 500, warmupTime: 100 };

describe(`PAC of ${pacBytes.length} bytes, 50 groups, ${extraSids.length} extra SIDs`, () => {
  bench(
    'decodePac',
    () => {
      decodePac(pacBytes);
    },
    OPTS,
  );
  for (const backend of ['node', 'pure'] as const) {
    bench(
      `decodePac + verifyPac (server + KDC), ${backend} crypto`,
      () => {
        setCryptoBackend(backend);
        verifyPac(decodePac(pacBytes), { serverKeys, kdcKeys });
      },
      OPTS,
    );
  }
  bench(
    'decodePac + verifyPac + summarizePac',
    () => {
      const pac = decodePac(pacBytes);
      verifyPac(pac, { serverKeys, kdcKeys });
      summarizePac(pac);
    },
    OPTS,
  );
});
