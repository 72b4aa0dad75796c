/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (fd 3 in, fd 4 out, NUL-separated JSON):
 * enough to open a page and await a promise it exposes, with real time (no virtual-time budget) and no npm
 * dependency. Chromium is started and killed by PID here, and only by this module.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

interface CdpMessage {
  id?: number;
  method?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** Flags of every headless run here (root needs --no-sandbox); callers add the profile and their own. */
export const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
];

/** Opens `url` in headless Chromium, waits until `expression` (a promise) settles, returns its JSON value. */
export async function evaluateInChromium(o: {
  chromium: string;
  args: readonly string[];
  url: string;
  expression: string;
  timeoutMs: number;
  /** The browser's environment (default: this process's), e.g. KRB5CCNAME for Negotiate. */
  env?: NodeJS.ProcessEnv;
}): Promise<{ value: unknown; stderr: string }> {
  const child = spawn(o.chromium, [...o.args, '--remote-debugging-pipe', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: withoutFakeTime(o.env ?? process.env),
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr?.on('data', (d: Uint8Array) => {
    stderr += new TextDecoder().decode(d);
  });
  let nextId = 1;
  const waiting = new Map<number, (m: CdpMessage) => void>();
  let buffered = '';
  fromBrowser.on('data', (d: Uint8Array) => {
    buffered += new TextDecoder().decode(d);
    let nul = buffered.indexOf('\0');
    while (nul >= 0) {
      const m = JSON.parse(buffered.slice(0, nul)) as CdpMessage;
      buffered = buffered.slice(nul + 1);
      if (m.id !== undefined) waiting.get(m.id)?.(m);
      nul = buffered.indexOf('\0');
    }
  });
  const send = (method: string, params: Record<string, unknown>, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (m) => {
        waiting.delete(id);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result ?? {});
      });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr.slice(-2000)}`))),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${o.timeoutMs} ms`)), o.timeoutMs);
  });
  const run = async () => {
    const { targetId } = await send('Target.createTarget', { url: o.url });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    for (;;) {
      const r = await send(
        'Runtime.evaluate',
        { expression: o.expression, awaitPromise: true, returnByValue: true },
        sessionId as string,
      );
      const res = r['result'] as { value?: unknown } | undefined;
      if (r['exceptionDetails']) throw new Error(`page threw: ${JSON.stringify(r['exceptionDetails'])}`);
      if (res?.value !== undefined) return res.value;
      await new Promise((w) => setTimeout(w, 250));
    }
  };
  try {
    const value = await Promise.race([run(), exited, timeout]);
    return { value, stderr };
  } finally {
    clearTimeout(timer);
    exited.catch(() => undefined);
    // Browser.close lets Chromium stop its own helper processes; SIGKILL to our child only if it lingers.
    if (child.exitCode === null) {
      const closed = new Promise((r) => child.once('exit', r));
      send('Browser.close', {}).catch(() => undefined);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }
  }
}

/**
 * The browser runs on the real clock: libfaketime preloaded into Chromium (npm run test:clock moves the clock of the
 * test processes with it) leaves the browser without an answer until the test times out. The code under test in
 * Node keeps the moved clock; the page's own clock is the browser's.
 */
function withoutFakeTime(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of Object.keys(out))
    if (name === 'LD_PRELOAD' || name.startsWith('FAKETIME')) delete out[name];
  return out;
}
