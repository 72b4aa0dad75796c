/** PA-PAC-OPTIONS (padata 167) of an S4U2Proxy request. MS-SFU 2.2.5, MS-KILE 2.2.10. */
import { encodePaPacOptions, type PaData, PaDataType } from '../asn1/index.js';

/** PA-PAC-OPTIONS asking for resource-based constrained delegation (MS-SFU 2.2.5). */
export function makePaPacOptionsRbcd(): PaData {
  return {
    padataType: PaDataType.PAC_OPTIONS,
    padataValue: encodePaPacOptions({ flags: { resourceBasedConstrainedDelegation: true } }),
  };
}
