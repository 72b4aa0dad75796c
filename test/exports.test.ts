import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

describe('public entry points', () => {
  it('the root exports the everyday API by name', () => {
    for (const name of [
      'KdcClient',
      'Session',
      'KdcTransport',
      'KkdcpTransport',
      'DelegationClient',
      's4u2self',
      's4u2proxy',
      'decodePac',
      'verifyPac',
      'summarizePac',
      'findPac',
      'KdcError',
      'KerberosError',
      'Key',
      'parsePrincipal',
      'formatPrincipal',
      'VERSION',
    ]) {
      expect(typeof (root as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });

  it('each layer is a namespace of the root', () => {
    for (const ns of [
      'asn1',
      'creds',
      'crypto',
      'delegation',
      'fast',
      'messages',
      'pac',
      's4u',
      'transport',
    ]) {
      const v = (root as Record<string, unknown>)[ns];
      expect(typeof v, ns).toBe('object');
      expect(Object.keys(v as object).length, ns).toBeGreaterThan(3);
    }
  });

  it('the S4U flows are the client layer, the DelegationClient its own; the root keeps exporting them by name', async () => {
    const client = await import('../src/client/index.js');
    const delegation = await import('../src/delegation/index.js');
    const s4u = (await import('../src/s4u/index.js')) as Record<string, unknown>;
    expect(root.s4u2self).toBe(client.s4u2self);
    expect(root.s4u2proxy).toBe(client.s4u2proxy);
    expect(root.DelegationClient).toBe(delegation.DelegationClient);
    expect(root.delegation.KdcDelegationFlows).toBe(delegation.KdcDelegationFlows);
    for (const name of ['s4u2self', 's4u2proxy', 'DelegationClient']) expect(s4u[name], name).toBeUndefined();
  });

  it('every exports-map entry of package.json points at a built file that tsconfig.build emits from src', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { types: string; default: string } | string>;
    };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue; // ./package.json
      const src = target.default.replace(/^\.\/dist\//, '../src/').replace(/\.js$/, '.ts');
      expect(() => readFileSync(new URL(src, import.meta.url)), `${entry} -> ${src}`).not.toThrow();
      expect(target.types, entry).toBe(target.default.replace(/\.js$/, '.d.ts'));
    }
  });
});
