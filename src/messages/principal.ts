/** Principal names as users write them (`HTTP/web.example.com@EXAMPLE.COM`) and as Kerberos carries them. RFC 4120 6.2, RFC 6806 5. */
import { NameType, type PrincipalName } from '../asn1/index.js';
import { KerberosError } from '../errors.js';

/** A principal name with its realm. */
export interface Principal {
  readonly realm: string;
  readonly name: PrincipalName;
}

/** Options for {@link parsePrincipal}. */
export interface ParsePrincipalOptions {
  /** Realm used when the text names none. */
  readonly defaultRealm?: string | undefined;
  /** Name type to use instead of the default (NT-PRINCIPAL, or NT-SRV-INST for krbtgt). */
  readonly nameType?: number | undefined;
  /** Treat the whole text as an enterprise name (`user@upn.suffix`, NT-ENTERPRISE), realm from defaultRealm. */
  readonly enterprise?: boolean | undefined;
}

/**
 * Parses `a/b@REALM` with MIT's escapes (`\/`, `\@`, `\\`, `\n`, `\t`, `\b`, `\0`).
 * An enterprise name keeps its first `@` in a single component (`user@upn.suffix`, optionally `@REALM` after it).
 */
export function parsePrincipal(text: string, opts: ParsePrincipalOptions = {}): Principal {
  if (opts.enterprise) {
    // As MIT's enterprise parsing: the first `@` belongs to the name; a second one starts the realm.
    const first = text.indexOf('@');
    const last = text.lastIndexOf('@');
    const name = first >= 0 && last > first ? text.slice(0, last) : text;
    const realm = first >= 0 && last > first ? text.slice(last + 1) : opts.defaultRealm;
    if (!realm) throw new KerberosError(`enterprise principal '${text}' needs a realm`);
    return { realm, name: { nameType: NameType.NT_ENTERPRISE, nameString: [name] } };
  }
  const parts: string[] = [];
  let cur = '';
  let realm: string | undefined;
  let inRealm = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[++i];
      if (n === undefined) throw new KerberosError(`principal '${text}' ends with a backslash`);
      cur += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'b' ? '\b' : n === '0' ? '\0' : n;
    } else if (c === '/' && !inRealm) {
      parts.push(cur);
      cur = '';
    } else if (c === '@' && !inRealm) {
      parts.push(cur);
      cur = '';
      inRealm = true;
    } else {
      cur += c;
    }
  }
  if (inRealm) realm = cur;
  else parts.push(cur);
  realm = realm || opts.defaultRealm;
  if (!realm) throw new KerberosError(`principal '${text}' has no realm and no default realm is set`);
  if (parts.length === 0 || parts.some((p) => p.length === 0)) {
    throw new KerberosError(`principal '${text}' has an empty component`);
  }
  const nameType =
    opts.nameType ??
    (parts[0] === 'krbtgt' && parts.length === 2 ? NameType.NT_SRV_INST : NameType.NT_PRINCIPAL);
  return { realm, name: { nameType, nameString: parts } };
}

function escapeComponent(s: string): string {
  return s.replace(/[\\/@\n\t\b\0]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\b' ? '\\b' : c === '\0' ? '\\0' : `\\${c}`,
  );
}

/** Text form of a principal name, `a/b@REALM`, escaped as MIT does (enterprise names keep their `@` escaped). */
export function formatPrincipal(name: PrincipalName, realm?: string): string {
  const n = name.nameString.map(escapeComponent).join('/');
  return realm === undefined ? n : `${n}@${escapeComponent(realm)}`;
}

/** The TGS principal `krbtgt/SERVICE_REALM@CLIENT_REALM`. */
export function krbtgt(serviceRealm: string, clientRealm: string = serviceRealm): Principal {
  return {
    realm: clientRealm,
    name: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', serviceRealm] },
  };
}

/** True when both names have the same components (name types are not compared, as RFC 4120 6.2 allows). */
export function sameName(a: PrincipalName, b: PrincipalName): boolean {
  return a.nameString.length === b.nameString.length && a.nameString.every((s, i) => s === b.nameString[i]);
}

/** True when `name` is `krbtgt/X` and returns X, else undefined. */
export function tgsRealmOf(name: PrincipalName): string | undefined {
  return name.nameString.length === 2 && name.nameString[0] === 'krbtgt' ? name.nameString[1] : undefined;
}
