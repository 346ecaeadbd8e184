// Operations the client started and the pool finishes later through `completed` events, keyed by operationId.
// A lost or never-sent completion must not leave a call "Calling…" forever: each operation has a deadline.

export type OperationKind = 'call' | 'accept' | 'escalation' | 'change' | 'addParticipant'

export interface OperationLimits {
  /** outgoing call: the pool rings for ~30 s and then completes; this is the safety net beyond it */
  callMs: number
  /** accepted incoming call (or conference invitation) until media is connected */
  acceptMs: number
  escalationMs: number
  /** hold, resume, camera: audioVideoRenegotiation answered */
  changeMs: number
  addParticipantMs: number
}

export const defaultLimits: OperationLimits = { callMs: 60_000, acceptMs: 30_000, escalationMs: 45_000, changeMs: 20_000, addParticipantMs: 75_000 }

const limitOf: Record<OperationKind, keyof OperationLimits> = {
  call: 'callMs',
  accept: 'acceptMs',
  escalation: 'escalationMs',
  change: 'changeMs',
  addParticipant: 'addParticipantMs',
}

interface Pending {
  kind: OperationKind
  callId: string
  timer: ReturnType<typeof setTimeout>
}

export class Operations {
  readonly #pending = new Map<string, Pending>()
  readonly limits: OperationLimits

  constructor(
    limits: Partial<OperationLimits> = {},
    private readonly onTimeout: (op: { operationId: string; kind: OperationKind; callId: string }) => void,
  ) {
    this.limits = { ...defaultLimits, ...limits }
  }

  /** Starts (or restarts) the deadline of an operation. */
  begin(operationId: string, kind: OperationKind, callId: string): void {
    this.settle(operationId)
    const timer = setTimeout(() => {
      this.#pending.delete(operationId)
      this.onTimeout({ operationId, kind, callId })
    }, this.limits[limitOf[kind]])
    timer.unref?.()
    this.#pending.set(operationId, { kind, callId, timer })
  }

  /** The operation completed (either way) or no longer matters. */
  settle(operationId: string | undefined): void {
    const p = operationId === undefined ? undefined : this.#pending.get(operationId)
    if (!p) return
    clearTimeout(p.timer)
    this.#pending.delete(operationId!)
  }

  /** Everything of one call, when the call ends. */
  settleCall(callId: string): void {
    for (const [id, p] of this.#pending) if (p.callId === callId) this.settle(id)
  }
}
