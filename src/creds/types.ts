/** Plain values shared by the keytab and ccache codecs: principal and key, with MIT's text form of a principal. */

/** A principal: realm, name type (RFC 4120 6.2) and name components. */
export interface CredsPrincipal {
  realm: string;
  nameType: number;
  components: string[];
}

/** A key as the files store it: enctype (RFC 3961 number) and key bytes. */
export interface KeyBlock {
  etype: number;
  bytes: Uint8Array;
}

/** Whether two principals name the same entity (realm and components; the name type is ignored, as MIT does). */
export function samePrincipal(a: CredsPrincipal, b: CredsPrincipal): boolean {
  if (a.realm !== b.realm || a.components.length !== b.components.length) return false;
  return a.components.every((c, i) => c === b.components[i]);
}

// MIT krb5_unparse_name quotes the same characters in components and in the realm.
const ESCAPES: Readonly<Record<string, string>> = {
  '/': '\\/',
  '@': '\\@',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\b': '\\b',
  '\0': '\\0',
};

function escapePart(s: string): string {
  let out = '';
  for (const c of s) out += Object.hasOwn(ESCAPES, c) ? ESCAPES[c] : c;
  return out;
}

/** `a/b@REALM` with MIT's escapes, as `klist` prints it. */
export function formatCredsPrincipal(p: CredsPrincipal): string {
  return `${p.components.map(escapePart).join('/')}@${escapePart(p.realm)}`;
}
