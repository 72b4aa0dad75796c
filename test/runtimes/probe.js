// The runtime probe: plain ESM that runs unchanged on Node, Bun, Deno and in a browser against the BUILT library
// (dist/). It checks crypto vectors, ASN.1 reference round trips and a PAC signature vector, and, when given the
// lab, logs in and gets service tickets through KKDCP (the runtime's own fetch), optionally through TCP (Node
// compatibility of Bun and Deno), and runs S4U2Self + S4U2Proxy through KKDCP. It returns plain JSON; the host
// test (Node) judges it and opens the returned tickets with the back end's keytab.

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h) => new Uint8Array((h.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)));

/** The runtime's name and version, as the runtime itself reports it. */
export function runtimeName() {
  const g = globalThis;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? 'unknown';
}

const ASN1 = {
  'AS-REQ': 'AsReq',
  'AS-REP': 'AsRep',
  'TGS-REQ': 'TgsReq',
  'TGS-REP': 'TgsRep',
  'KRB-ERROR': 'KrbError',
  Ticket: 'Ticket',
  EncTicketPart: 'EncTicketPart',
  Authenticator: 'Authenticator',
  'AP-REQ': 'ApReq',
  'PA-FOR-USER': 'PaForUser',
  'PA-S4U-X509-USER': 'PaS4uX509User',
  'KDC-PROXY-MESSAGE': 'KdcProxyMessage',
  'KRB-CRED': 'KrbCred',
};

async function check(out, name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    out.checks.push({ name, ok: true, ms: Date.now() - t0, ...(detail === undefined ? {} : { detail }) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    out.checks.push({
      name,
      ok: false,
      ms: Date.now() - t0,
      error: `${err.name}: ${err.message}`,
      hint: err.hint,
    });
  }
}

function expectEqual(got, want, what) {
  if (got !== want) throw new Error(`${what}: got ${got}, want ${want}`);
}

const ticketOut = (cred) => ({
  server: cred.server.name.nameString.join('/'),
  etype: cred.ticket.encPart.etype,
  cipher: hex(cred.ticket.encPart.cipher),
});

/**
 * Runs every check. `dist` is the URL of the built library's directory (ending in '/'); `inputs` holds the
 * vectors and, optionally, `net` (lab realm, user, service keys, proxy URL, TCP KDC).
 */
export async function runProbe({ dist, inputs, tcp = false }) {
  const out = { runtime: runtimeName(), checks: [], tickets: {} };
  const crypto = await import(`${dist}crypto/index.js`);
  const asn1 = await import(`${dist}asn1/index.js`);
  const pac = await import(`${dist}pac/index.js`);
  out.cryptoBackend = crypto.cryptoBackendName();

  for (const v of inputs.stringToKey) {
    await check(out, `string-to-key etype ${v.enctype} (${v.source ?? 'vector'})`, () => {
      const params = v.params ? unhex(v.params) : undefined;
      const k = crypto.stringToKey(v.enctype, unhex(v.passwordHex), unhex(v.salt), params, {
        allowWeak: v.allowWeak,
      });
      expectEqual(hex(k.bytes), v.key, 'key');
    });
  }
  for (const v of inputs.decrypt) {
    await check(out, `decrypt etype ${v.enctype} usage ${v.usage}, ${v.plaintext.length / 2} bytes`, () => {
      const key = new crypto.Key(v.enctype, unhex(v.key));
      expectEqual(hex(crypto.decrypt(key, v.usage, unhex(v.ciphertext))), v.plaintext, 'plaintext');
    });
  }
  for (const v of inputs.checksum) {
    await check(out, `checksum type ${v.cksumtype} (key etype ${v.enctype})`, () => {
      const key = new crypto.Key(v.enctype, unhex(v.key));
      expectEqual(
        hex(crypto.makeChecksum(v.cksumtype, key, v.usage, unhex(v.plaintext))),
        v.checksum,
        'checksum',
      );
    });
  }
  for (const r of inputs.asn1) {
    await check(
      out,
      `ASN.1 ${r.type}${r.variant ? ` (${r.variant})` : ''}: decode then encode is the reference DER`,
      () => {
        const n = ASN1[r.type];
        const value = asn1[`decode${n}`](unhex(r.der));
        expectEqual(hex(asn1[`encode${n}`](value)), r.der, 'DER');
      },
    );
  }
  await check(out, `PAC ${inputs.pac.name}: decode and verify server and KDC signatures`, () => {
    const bytes = unhex(inputs.pac.pac);
    const keys = (k) => new crypto.Key(k.enctype, unhex(k.key));
    const opts = { serverKeys: keys(inputs.pac.serverKey), kdcKeys: keys(inputs.pac.kdcKey) };
    const v = pac.verifyPac(pac.decodePac(bytes), opts);
    if (!v.verified) throw new Error(`not verified: ${JSON.stringify(v)}`);
    const flipped = bytes.slice();
    flipped[inputs.pac.flipAt] ^= 1;
    if (pac.verifyPac(pac.decodePac(flipped), opts).verified)
      throw new Error('a flipped byte still verifies');
    return `${pac.decodePac(bytes).infoBuffers.length} buffers, logon name ${pac.decodePac(bytes).logonInfo?.effectiveName}`;
  });

  await check(out, 'explain and pcap: a PAC explained, an empty capture read', async () => {
    const explain = await import(`${dist}explain/index.js`);
    const pcap = await import(`${dist}pcap/index.js`);
    const tree = explain.explainAs('PAC', pac.decodePac(unhex(inputs.pac.pac)));
    expectEqual(tree.label, 'PAC', 'tree label');
    // A libpcap global header (microseconds, little-endian, Ethernet) and no packets.
    const cap = pcap.readCapture(unhex('d4c3b2a1020004000000000000000000ffff000001000000'));
    expectEqual(cap.packets.length, 0, 'packets');
    return `${tree.children.length} PAC nodes`;
  });

  const net = inputs.net;
  if (!net) return out;
  const { KdcClient } = await import(`${dist}client/index.js`);
  const { KkdcpTransport } = await import(`${dist}transport/kkdcp.js`);
  const { DelegationClient } = await import(`${dist}delegation/index.js`);
  const frontKeys = net.front.keys.map((k) => new crypto.Key(k.etype, unhex(k.hex)));
  const flow = async (label, transport) => {
    await check(out, `${label}: AS (password, pre-auth) + TGS for ${net.target}`, async () => {
      const client = new KdcClient({ realm: net.realm, transport });
      const s = await client.login({ principal: net.user, password: net.password });
      const st = await s.getServiceTicket(net.target);
      out.tickets[`${label} TGS`] = ticketOut(st);
      return `session etype ${s.tgt.sessionKey.etype}, ticket etype ${st.ticket.encPart.etype}`;
    });
    await check(
      out,
      `${label}: S4U2Self + S4U2Proxy as ${net.front.principal} for ${net.user} to ${net.target}`,
      async () => {
        const d = new DelegationClient({
          service: net.front.principal,
          realm: net.realm,
          transport,
          keys: frontKeys,
        });
        const t = await d.s4u2proxy(net.user, net.target);
        out.tickets[`${label} S4U2Proxy`] = ticketOut(t.credential);
        return `${t.user} -> ${t.target}`;
      },
    );
  };
  await flow(
    'KKDCP fetch',
    new KkdcpTransport({ url: net.kkdcpUrl, timeoutMs: 30_000, attemptTimeoutMs: 10_000 }),
  );
  if (tcp && net.tcpKdc) {
    const { KdcTransport } = await import(`${dist}transport/kdc-transport.js`);
    await flow(
      'TCP',
      new KdcTransport({
        kdcs: { [net.realm]: [`tcp/${net.tcpKdc}`] },
        timeoutMs: 30_000,
        attemptTimeoutMs: 10_000,
      }),
    );
  }
  return out;
}
