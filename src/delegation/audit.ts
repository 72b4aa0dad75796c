/** Audit events of the DelegationClient: names, outcome, KDC and timing of a call, never keys or tickets. */
import { KerberosError } from '../errors.js';
import { KdcError } from '../messages/kdc-error.js';
import type { DelegationAuditEvent, DelegationAuditOperation, DelegationSource } from './types.js';

/** What one call did, as the client saw it. */
export interface CallOutcome {
  readonly operation: DelegationAuditOperation;
  readonly service: string;
  readonly user: string;
  readonly target: string;
  readonly result: 'ok' | 'error';
  readonly source: DelegationSource;
  readonly kdcs: readonly string[];
  readonly roundTrips: number;
  /** Local start and end of the call (ms). */
  readonly started: number;
  readonly ended: number;
  /** End of the delegated ticket's validity, on success. */
  readonly ticketEnd?: Date | undefined;
  readonly error?: unknown;
}

/** The name stats and audit events give an error: the KRB-ERROR name, else the error class. */
export function errorName(e: unknown): string {
  if (e instanceof KdcError) return e.codeName;
  if (e instanceof Error) return e.name;
  return 'Error';
}

/** The audit event of a call: only the fields listed here, so no key or ticket can slip in. */
export function auditEvent(o: CallOutcome): DelegationAuditEvent {
  const e = o.error;
  return {
    time: new Date(o.ended).toISOString(),
    operation: o.operation,
    service: o.service,
    user: o.user,
    target: o.target,
    result: o.result,
    source: o.source,
    kdcs: [...o.kdcs],
    roundTrips: o.roundTrips,
    latencyMs: o.ended - o.started,
    ...(o.ticketEnd ? { ticketEnd: o.ticketEnd.toISOString() } : {}),
    ...(e === undefined
      ? {}
      : {
          error: {
            name: errorName(e),
            ...(e instanceof KdcError ? { code: e.errorCode } : {}),
            message: e instanceof Error ? e.message : String(e),
            ...(e instanceof KerberosError && e.hint ? { hint: e.hint } : {}),
          },
        }),
  };
}
