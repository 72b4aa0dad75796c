/**
 * SPN host canonicalization as MIT's clients do it (krb5.conf `dns_canonicalize_hostname` true / false / fallback,
 * `rdns`), with a scripted resolver: no DNS is asked.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, MessageType, NameType } from '../../src/asn1/index.js';
import {
  canonicalHost,
  firstSpnHost,
  type HostResolver,
  withHostFallback,
} from '../../src/cli/host-canonical.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/index.js';

/** CNAMEs and reverse names of a made-up zone; every lookup is recorded. */
function scripted(): HostResolver & { asked: string[] } {
  const cname: Record<string, string> = { web: 'WWW.Example.COM.', 'www.example.com': 'www.example.com' };
  const ptr: Record<string, string> = { 'www.example.com': 'host7.example.com.' };
  const asked: string[] = [];
  return {
    asked,
    async canonicalName(host) {
      asked.push(`cname ${host}`);
      return cname[host];
    },
    async reverseName(host) {
      asked.push(`ptr ${host}`);
      return ptr[host];
    },
  };
}

const settings = (text: string) => krb5Settings(parseKrb5Conf(text));

function unknownServer(spn: string): KdcError {
  const [service, host] = spn.split('/') as [string, string];
  return new KdcError(
    {
      pvno: 5,
      msgType: MessageType.KRB_ERROR,
      stime: new Date(0),
      susec: 0,
      errorCode: ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN,
      realm: 'EXAMPLE.COM',
      sname: { nameType: NameType.NT_SRV_HST, nameString: [service, host] },
    },
    'TGS',
  );
}

describe('krb5.conf: dns_canonicalize_hostname and rdns', () => {
  it("MIT's defaults: true and true", () => {
    const s = settings('');
    expect([s.dnsCanonicalizeHostname, s.rdns]).toEqual(['true', true]);
  });
  it.each([
    ['false', 'false'],
    ['no', 'false'],
    ['fallback', 'fallback'],
    ['FALLBACK', 'fallback'],
    ['true', 'true'],
    ['maybe', 'true'],
  ])('dns_canonicalize_hostname = %s reads %s', (word, value) => {
    expect(settings(`[libdefaults]\n dns_canonicalize_hostname = ${word}\n rdns = false\n`)).toMatchObject({
      dnsCanonicalizeHostname: value,
      rdns: false,
    });
  });
});

describe('canonicalHost (MIT k5_expand_hostname)', () => {
  it('follows the canonical name, then the reverse name with rdns; lower case, no trailing dot', async () => {
    const r = scripted();
    expect(await canonicalHost('WEB', { rdns: true }, r)).toBe('host7.example.com');
    expect(r.asked).toEqual(['cname web', 'ptr www.example.com']);
  });
  it('without rdns, the canonical name only', async () => {
    expect(await canonicalHost('web', { rdns: false }, scripted())).toBe('www.example.com');
  });
  it('a name lookups do not know is kept', async () => {
    expect(await canonicalHost('Nowhere.Example', { rdns: true }, scripted())).toBe('nowhere.example');
  });
});

describe('the first SPN host of tskrb http', () => {
  it('true: canonicalized before the first request; false and fallback: as written, no lookup', async () => {
    const r = scripted();
    const off = settings('[libdefaults]\n dns_canonicalize_hostname = false\n');
    const fallback = settings('[libdefaults]\n dns_canonicalize_hostname = fallback\n');
    expect(await firstSpnHost('web', off, r)).toBe('web');
    expect(await firstSpnHost('web', fallback, r)).toBe('web');
    expect(r.asked).toEqual([]);
    expect(await firstSpnHost('web', settings('[libdefaults]\n rdns = false\n'), r)).toBe('www.example.com');
  });
});

describe('fallback: canonicalize after KDC_ERR_S_PRINCIPAL_UNKNOWN (MIT 1.18+)', () => {
  const fallback = settings('[libdefaults]\n dns_canonicalize_hostname = fallback\n rdns = false\n');

  it('the name as written first; the KDC does not know it; then the canonical name', async () => {
    const tried: string[] = [];
    const got = await withHostFallback(
      'HTTP/web',
      fallback,
      async (spn) => {
        tried.push(spn);
        if (spn === 'HTTP/web') throw unknownServer(spn);
        return `ticket for ${spn}`;
      },
      scripted(),
    );
    expect(got).toBe('ticket for HTTP/www.example.com');
    expect(tried).toEqual(['HTTP/web', 'HTTP/www.example.com']);
  });

  it('other errors, other settings and a name that does not change are not retried', async () => {
    const refuse = (e: Error) => async () => {
      throw e;
    };
    const badOption = new Error('KDC_ERR_BADOPTION');
    await expect(withHostFallback('HTTP/web', fallback, refuse(badOption), scripted())).rejects.toBe(
      badOption,
    );
    const unknown = unknownServer('HTTP/web');
    const on = settings('');
    await expect(withHostFallback('HTTP/web', on, refuse(unknown), scripted())).rejects.toBe(unknown);
    const stays = unknownServer('HTTP/nowhere');
    await expect(withHostFallback('HTTP/nowhere', fallback, refuse(stays), scripted())).rejects.toBe(stays);
  });
});
