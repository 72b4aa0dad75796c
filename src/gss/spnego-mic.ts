/**
 * What both SPNEGO roles share: which OIDs name Kerberos, and the mechListMIC bookkeeping of RFC 4178 5
 * (who owes a MIC, verifying the peer's, making ours once).
 */
import { ProtocolError } from '../errors.js';
import { GssMechOid } from './constants.js';

/** What SPNEGO needs from a mechanism context: whether it is established, and MICs for the mechListMIC. */
export interface SpnegoMechContext {
  readonly established: boolean;
  getMic(message: Uint8Array): Uint8Array;
  verifyMic(message: Uint8Array, token: Uint8Array): void;
}

/** True for the IETF krb5 OID and Microsoft's krb5 OID (MS-KILE 3.1.5.14): one mechanism under two names. */
export function isKrb5Mech(oid: string): boolean {
  return oid === GssMechOid.KRB5 || oid === GssMechOid.MS_KRB5;
}

/**
 * Whether two mechanism OIDs name the same mechanism. Windows lists MS_KRB5 then KRB5 and accepts either in the
 * reply; Heimdal and MIT map MS_KRB5 to krb5 too. So choosing KRB5 when MS_KRB5 came first is choosing the
 * initiator's first mechanism, and does not by itself make the mechListMIC exchange mandatory (RFC 4178 5 would,
 * read literally; Windows initiators would then fail against such an acceptor as they send no MIC).
 */
export function sameMech(a: string, b: string): boolean {
  return a === b || (isKrb5Mech(a) && isKrb5Mech(b));
}

/** NTLMSSP's OID, which Windows lists after Kerberos (MS-NLMP); tskrb does not implement NTLM. */
export const NTLMSSP_OID = '1.3.6.1.4.1.311.2.2.10';
/** NegoEx's OID (MS-NEGOEX), listed by Windows between Kerberos and NTLM; not implemented. */
export const NEGOEX_OID = '1.3.6.1.4.1.311.2.2.30';

const MECH_NAMES: Record<string, string> = {
  [GssMechOid.KRB5]: 'Kerberos',
  [GssMechOid.MS_KRB5]: 'Microsoft Kerberos',
  [NTLMSSP_OID]: 'NTLM',
  [NEGOEX_OID]: 'NegoEx',
};

/** A readable name for a mechanism OID in messages, e.g. `NTLM (1.3.6.1.4.1.311.2.2.10)`. */
export function mechName(oid: string): string {
  const name = MECH_NAMES[oid];
  return name === undefined ? oid : `${name} (${oid})`;
}

/**
 * mechListMIC state of one side (RFC 4178 5): the MIC is over the DER of the initiator's MechTypeList; it is
 * required when the acceptor chose a mechanism other than the initiator's first, or asked with request-mic, or as
 * soon as the peer sent one (the receiver then answers with its own, as MIT and Heimdal do).
 */
export class MechListMic {
  /** Whether both sides must exchange MICs. */
  required: boolean;
  /** Whether we have sent ours. */
  sent = false;
  /** Whether we have verified the peer's. */
  received = false;

  constructor(
    /** DER of the MechTypeList the initiator sent. */
    readonly mechTypesDer: Uint8Array,
    required: boolean,
    /** Who the peer is, for messages. */
    private readonly peer: 'initiator' | 'acceptor',
  ) {
    this.required = required;
  }

  /** Verifies the peer's MIC over the MechTypeList. ProtocolError check `spnego-mech-list-mic`. */
  verify(context: SpnegoMechContext, mic: Uint8Array): void {
    if (this.received)
      throw new ProtocolError(`the ${this.peer} sent a second mechListMIC`, {
        check: 'spnego-mech-list-mic',
      });
    try {
      context.verifyMic(this.mechTypesDer, mic);
    } catch (e) {
      throw new ProtocolError(`the ${this.peer}'s mechListMIC does not verify over the MechTypeList`, {
        check: 'spnego-mech-list-mic',
        hint: 'the mechanism list was changed in transit (a downgrade attempt) or the peer used another key',
        cause: e,
      });
    }
    this.received = true;
    this.required = true;
  }

  /** Our MIC when one is owed and not yet sent, else undefined. */
  take(context: SpnegoMechContext): Uint8Array | undefined {
    if (!this.required || this.sent) return undefined;
    this.sent = true;
    return context.getMic(this.mechTypesDer);
  }

  /** True once no MIC is owed in either direction. */
  get done(): boolean {
    return !this.required || (this.sent && this.received);
  }
}
