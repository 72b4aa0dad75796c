/** AD-TOKEN (Apache Kerby, ad-type 256) explained: the token format and, for a JWT, its header and claims, unverified. */
import { type AdToken, TokenFormat } from '../asn1/index.js';
import { KerberosError } from '../errors.js';
import { fromUtf8 } from '../util/bytes.js';
import { parseJwt } from '../util/jwt.js';
import { bytesText, type ExplainNode, node } from './core.js';

/** The children of an AD-TOKEN node. */
export function adTokenNodes(v: AdToken): ExplainNode[] {
  const { tokenFormat, tokenValue } = v.token;
  const format = node('token-format', tokenFormat === TokenFormat.JWT ? 'JWT (1)' : String(tokenFormat));
  if (tokenFormat !== TokenFormat.JWT) return [format, node('token-value', bytesText(tokenValue))];
  let jwt: ReturnType<typeof parseJwt>;
  try {
    jwt = parseJwt(fromUtf8(tokenValue));
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return [format, node('token-value', bytesText(tokenValue), `not a compact JWS: ${e.message}`)];
  }
  const entries = (o: Readonly<Record<string, unknown>>) =>
    Object.entries(o).map(([k, x]) => node(k, JSON.stringify(x)));
  return [
    format,
    node('header', undefined, undefined, entries(jwt.header)),
    node(
      'claims',
      undefined,
      'as the token says: the issuer signature is not verified here',
      entries(jwt.claims),
    ),
    node(
      'signature',
      bytesText(jwt.signature),
      'verify with the issuer key: verifyTicketToken (RS256, ES256)',
    ),
  ];
}
