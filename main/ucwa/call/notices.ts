// What the person reads when the pool never finished an operation (operations.ts deadlines).
import type { OperationKind } from '../operations'

export const timedOut: Record<OperationKind, string> = {
  call: 'Nobody answered, so Parley ended the call.',
  accept: 'The call could not be connected in time.',
  escalation: 'The conference did not start in time. Your call continues as it was.',
  change: 'That change to the call did not go through in time.',
  addParticipant: 'The person you added did not join in time.',
}
