/** KRB-ERROR as a typed error: code name, e-text, decoded e-data, and a hint for the exchange step. RFC 4120 5.9.1, 7.5.9. */
import {
  decodeMethodData,
  decodePaValue,
  decodeTypedData,
  errorCodeName,
  type KrbError,
  type PaData,
} from '../asn1/index.js';
import { KerberosError } from '../errors.js';
import { type ExchangeStep, hintFor } from './exchange-step.js';
import { formatPrincipal } from './principal.js';

/** The e-data of a KRB-ERROR, decoded as far as it goes; never throws. */
export type DecodedEData =
  | { readonly kind: 'method-data'; readonly padata: readonly DecodedPaData[] }
  | { readonly kind: 'typed-data'; readonly entries: readonly { dataType: number; dataValue?: Uint8Array }[] }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

/** One PA-DATA entry with its value decoded when its type is known. */
export interface DecodedPaData extends PaData {
  readonly value: unknown;
}

/** Decodes e-data as METHOD-DATA, then TYPED-DATA, else keeps the bytes. */
export function decodeEData(bytes: Uint8Array): DecodedEData {
  try {
    const padata = decodeMethodData(bytes).map((p) => ({ ...p, value: safePaValue(p) }));
    return { kind: 'method-data', padata };
  } catch {
    // not METHOD-DATA: try the next form
  }
  try {
    return { kind: 'typed-data', entries: decodeTypedData(bytes) };
  } catch {
    return { kind: 'raw', bytes };
  }
}

function safePaValue(p: PaData): unknown {
  try {
    return decodePaValue(p.padataType, p.padataValue);
  } catch {
    return p.padataValue;
  }
}

/**
 * A KDC refused a request. `code` is the error's name (`KDC_ERR_BADOPTION`), `errorCode` its number (13), `hint`
 * suggests the cause for this step.
 */
export class KdcError extends KerberosError {
  /** Numeric error-code from the KRB-ERROR (RFC 4120 7.5.9). */
  readonly errorCode: number;
  /** Symbolic name, e.g. `KDC_ERR_BADOPTION`: the same as `code`. */
  readonly codeName: string;
  /** Free text the KDC sent, if any. */
  readonly eText: string | undefined;
  /** Decoded e-data, if any. */
  readonly eData: DecodedEData | undefined;
  /** The exchange that failed. */
  readonly step: ExchangeStep;
  /** The whole KRB-ERROR. */
  readonly krbError: KrbError;
  /** The KDC that answered, when known. */
  readonly kdc: string | undefined;

  constructor(
    krbError: KrbError,
    step: ExchangeStep,
    opts: { kdc?: string | undefined; eData?: DecodedEData } = {},
  ) {
    const codeName = errorCodeName(krbError.errorCode);
    const hint = hintFor(step, codeName);
    const who = formatPrincipal(krbError.sname, krbError.realm);
    super(
      `${step}: ${codeName} (${krbError.errorCode})${krbError.eText ? `: ${krbError.eText}` : ''} [server ${who}]`,
      { hint, code: codeName },
    );
    this.errorCode = krbError.errorCode;
    this.codeName = codeName;
    this.eText = krbError.eText;
    this.eData = opts.eData ?? (krbError.eData ? decodeEData(krbError.eData) : undefined);
    this.step = step;
    this.krbError = krbError;
    this.kdc = opts.kdc;
  }

  /** The PA-DATA entries of METHOD-DATA e-data (empty when e-data is another form). */
  get padata(): readonly DecodedPaData[] {
    return this.eData?.kind === 'method-data' ? this.eData.padata : [];
  }
}
