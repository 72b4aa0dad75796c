/** What each captured exchange was (AS, TGS, S4U2Self, …) and the password salts a capture reveals. */
import { decodeEtypeInfo2, type KdcRep, type KdcReq, PaDataType } from '../asn1/index.js';
import { KerberosError } from '../errors.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import { decodeEData } from '../messages/kdc-error.js';
import type { Exchange } from './capture-exchanges.js';

/** Most distinct salts a capture may add password keys for (each costs a string-to-key per enctype). */
const MAX_SALTS = 16;

/** The exchange step a request was: S4U2Self by its padata, S4U2Proxy, U2U and renewal by its options. */
export function stepOf(x: Exchange): ExchangeStep | undefined {
  const m = x.request?.message;
  if (m?.type === 'AS-REQ') return 'AS';
  if (m?.type !== 'TGS-REQ') return undefined;
  const req: KdcReq = m.value;
  const types = new Set((req.padata ?? []).map((p) => p.padataType));
  const o = req.reqBody.kdcOptions;
  if (types.has(PaDataType.FOR_USER) || types.has(PaDataType.S4U_X509_USER)) return 'S4U2Self';
  if (o.cnameInAddlTkt) return 'S4U2Proxy';
  if (o.encTktInSkey) return 'U2U';
  if (o.renew) return 'RENEW';
  return 'TGS';
}

function etypeInfo2Salts(value: Uint8Array): string[] {
  try {
    return decodeEtypeInfo2(value)
      .map((e) => e.salt)
      .filter((s): s is string => s !== undefined);
  } catch (e) {
    if (e instanceof KerberosError) return [];
    throw e;
  }
}

/** Salts of an AS exchange: ETYPE-INFO2 in the reply or the error's e-data, else the client's default salt. */
function saltsOfExchange(x: Exchange): string[] {
  const out: string[] = [];
  const rep = x.reply?.message;
  if (rep?.type === 'AS-REP') {
    const r: KdcRep = rep.value;
    for (const p of r.padata ?? [])
      if (p.padataType === PaDataType.ETYPE_INFO2) out.push(...etypeInfo2Salts(p.padataValue));
  }
  if (rep?.type === 'KRB-ERROR' && rep.value.eData !== undefined) {
    const e = decodeEData(rep.value.eData);
    if (e.kind === 'method-data')
      for (const p of e.padata)
        if (p.padataType === PaDataType.ETYPE_INFO2) out.push(...etypeInfo2Salts(p.padataValue));
  }
  const req = x.request?.message;
  if (req?.type === 'AS-REQ' && req.value.reqBody.cname !== undefined) {
    const b = req.value.reqBody;
    out.push(b.realm + (b.cname?.nameString.join('') ?? ''));
  }
  return out;
}

/** The distinct salts AS exchanges of a capture name, in order, at most MAX_SALTS. */
export function saltsOf(exchanges: readonly Exchange[]): string[] {
  const salts = new Set<string>();
  for (const x of exchanges) {
    if (x.request?.message?.type !== 'AS-REQ' && x.reply?.message?.type !== 'AS-REP') continue;
    for (const s of saltsOfExchange(x)) if (salts.size < MAX_SALTS) salts.add(s);
  }
  return [...salts];
}
