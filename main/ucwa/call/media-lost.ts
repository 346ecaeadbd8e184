// The page that owns the calls' media started again (a reload, a crashed renderer): every connection it held is gone.
// A call with nothing behind it must not stay "Connected" on either side: each is hung up at the pool with a reason
// the person reads. A call still ringing keeps ringing (answering it makes new media).
import type { CallSnapshot } from '../../../preload/contract'

export const MEDIA_LOST = { code: 'LocalFailure', subcode: 'MediaLost', message: 'The call ended because Parley’s window was reloaded.' } as const

export interface MediaLostCalls {
  list(): CallSnapshot[]
  hangUp(id: string, reason?: NonNullable<CallSnapshot['endReason']>): Promise<void>
}

/** Hangs up every call past ringing (the pool is told); returns how many. */
export async function endCallsWithoutMedia(calls: MediaLostCalls, log: (message: string) => void): Promise<number> {
  const orphans = calls.list().filter((c) => c.state !== 'ringing' && c.state !== 'ended' && c.state !== 'ending')
  await Promise.all(orphans.map((c) => calls.hangUp(c.id, MEDIA_LOST).catch((e: unknown) => log(`call ${c.id}: could not end it after the page reloaded: ${String(e)}`))))
  return orphans.length
}
