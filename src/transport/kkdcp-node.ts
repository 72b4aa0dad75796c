/**
 * The KKDCP POST for Node (and Bun/Deno through their node:https) with extra trusted CAs: Node's fetch cannot take
 * a CA without undici's dispatcher, node:https can. The public roots stay trusted unless `onlyCa` is set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { FormatError, TransportError } from '../errors.js';
import { KKDCP_CONTENT_TYPE } from './constants.js';
import type { KkdcpPost } from './kkdcp-exchange.js';
import { type Krb5Settings, profileStrings } from './krb5conf.js';

/** Options of {@link nodeHttpsPost}. */
export interface NodeHttpsPostOptions {
  /** Extra CA certificates (PEM) to trust, e.g. a private proxy's CA. */
  ca?: readonly string[];
  /** Trust only `ca`, not the public roots as well. */
  onlyCa?: boolean;
}

/** A KkdcpPost over node:https that trusts the given CAs (no connection reuse: each POST is one TLS session). */
export function nodeHttpsPost(o: NodeHttpsPostOptions = {}): KkdcpPost {
  const extra = o.ca ?? [];
  const ca = extra.length === 0 ? undefined : o.onlyCa ? [...extra] : [...rootCertificates, ...extra];
  return (req) =>
    new Promise((resolve, reject) => {
      const chunks: Uint8Array[] = [];
      let total = 0;
      const tooBig = (n: number) =>
        new TransportError(`${req.url}: reply body above ${req.maxBytes} bytes (${n})`, {
          kdc: req.url,
          hint: 'the proxy sends more than any KDC reply needs: raise maxMessageLength or check the URL',
        });
      const r = request(
        req.url,
        {
          method: 'POST',
          agent: false,
          signal: req.signal,
          headers: {
            'content-type': KKDCP_CONTENT_TYPE,
            accept: KKDCP_CONTENT_TYPE,
            'content-length': String(req.body.length),
          },
          ...(ca ? { ca } : {}),
        },
        (res) => {
          const declared = Number(res.headers['content-length'] ?? Number.NaN);
          if (declared > req.maxBytes) {
            r.destroy(tooBig(declared));
            return;
          }
          res.on('data', (chunk: Uint8Array) => {
            total += chunk.length;
            if (total > req.maxBytes) {
              r.destroy(tooBig(total));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const body = new Uint8Array(total);
            let at = 0;
            for (const c of chunks) {
              body.set(c, at);
              at += c.length;
            }
            resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body });
          });
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });
}

const PEM_FILE = /\.(pem|crt)$/i;

/**
 * The PEM text of every `http_anchors` of every realm in krb5.conf (MIT: `FILE:path` or `DIR:path`), the CAs
 * MIT trusts for that realm's https:// KDCs. Throws FormatError for other forms or unreadable files.
 */
export function httpAnchorsFromKrb5Conf(settings: Krb5Settings): string[] {
  const out: string[] = [];
  for (const realm of settings.realms.keys()) {
    for (const anchor of profileStrings(settings.profile, ['realms', realm, 'http_anchors'])) {
      const m = /^(FILE|DIR):(.+)$/.exec(anchor.trim());
      if (!m) {
        throw new FormatError(
          `http_anchors '${anchor}' of realm ${realm}: only FILE:path and DIR:path are supported`,
        );
      }
      try {
        const paths =
          m[1] === 'FILE'
            ? [m[2]!]
            : readdirSync(m[2]!)
                .filter((f) => PEM_FILE.test(f))
                .sort()
                .map((f) => join(m[2]!, f));
        for (const p of paths) out.push(readFileSync(p, 'utf8'));
      } catch (e) {
        throw new FormatError(`http_anchors '${anchor}' of realm ${realm}: cannot read it`, { cause: e });
      }
    }
  }
  return out;
}
