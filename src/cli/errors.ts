/** CLI errors: usage errors, exit codes by error class, and the one-line message (with hint) users see. */
import {
  Asn1DecodeError,
  CryptoError,
  FormatError,
  IntegrityError,
  KerberosError,
  PacDecodeError,
  ProtocolError,
  TransportError,
} from '../errors.js';
import { KdcError } from '../messages/kdc-error.js';

/** The command line was wrong: unknown option, missing argument, bad value. */
export class UsageError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_USAGE';
}

/** Exit codes of the `tskrb` command. */
export const ExitCode = {
  Ok: 0,
  Usage: 1,
  KdcRefused: 2,
  Network: 3,
  Integrity: 4,
  BadInput: 5,
  /** `tskrb http`: the server answered with a status of 400 or more. */
  ServerRefused: 6,
} as const;

/** Exit code by error class, most specific first. */
const EXIT_CODES: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, number]> = [
  [UsageError, ExitCode.Usage],
  [KdcError, ExitCode.KdcRefused],
  [TransportError, ExitCode.Network],
  [IntegrityError, ExitCode.Integrity],
  [ProtocolError, ExitCode.Integrity],
  [FormatError, ExitCode.BadInput],
  [Asn1DecodeError, ExitCode.BadInput],
  [PacDecodeError, ExitCode.BadInput],
  // A bad --key or unsupported enctype named on the command line.
  [CryptoError, ExitCode.Usage],
];

/** Exit code by error code, before the class: a cache type named on the command line that tskrb cannot use. */
const EXIT_BY_CODE: Readonly<Record<string, number>> = { ERR_TSKRB_CCACHE_TYPE: ExitCode.Usage };

/** The exit code for an error: by code, then by class, 1 for anything else. */
export function exitCodeOf(e: unknown): number {
  const byCode = e instanceof KerberosError ? EXIT_BY_CODE[e.code] : undefined;
  return byCode ?? EXIT_CODES.find(([cls]) => e instanceof cls)?.[1] ?? ExitCode.Usage;
}

/** The one line a user sees (`tskrb: message (hint: …)`), plus the stack when debugging. */
export function formatError(e: unknown, debug: boolean): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const known = err instanceof KerberosError;
  const hint = known && err.hint ? ` (hint: ${err.hint})` : '';
  const what = known
    ? err.message
    : `internal error: ${err.message}${debug ? '' : ' (run with --debug for the stack)'}`;
  const first = `tskrb: ${what}${hint}`.replace(/\s*\n\s*/g, ' ');
  return debug && err.stack ? `${first}\n${err.stack}\n` : `${first}\n`;
}
