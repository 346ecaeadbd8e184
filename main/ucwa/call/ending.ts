// Ending a call on the pool: cancel while it rings out (cancel_ref.md), decline while it rings here (decline_ref.md),
// else stopAudioVideo (stopAudioVideo_ref.md).
import { UcwaError } from '../errors'
import type { UcwaHttp } from '../http'
import type { Call } from './call'
import { follow } from './links'

/**
 * POSTs an ending (hang-up, cancel, decline), tried again when the pool could not take it (network, 5xx): ending
 * only here would leave the other person in a call with nobody. Repeating one is harmless (404/410).
 * Throws the last UcwaError after 4 attempts (150, 450, 1350 ms apart) or at once when it is not transient.
 */
export async function ending(http: Pick<UcwaHttp, 'post'>, href: string, body?: Record<string, unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await http.post(href, body)
      return
    } catch (e) {
      const transient = e instanceof UcwaError && (e.status === 0 || e.status >= 500) && e.subcode !== 'ForeignOrigin'
      if (!transient || attempt >= 3) throw e
      await new Promise((r) => setTimeout(r, 150 * 3 ** attempt))
    }
  }
}

/** Ends the call on the pool: cancel while it rings out, else stopAudioVideo — also when the cancel came too late (Gone: answered). */
export async function leave(http: Pick<UcwaHttp, 'get' | 'post'>, call: Call, ringingOut: boolean): Promise<void> {
  const cancel = call.invitation.direction === 'outgoing' ? call.invitation.cancel : undefined
  if (ringingOut && cancel) {
    const answered = await ending(http, cancel).then(
      () => false,
      (e: unknown) => {
        if (e instanceof UcwaError && (e.status === 410 || e.status === 409)) return true
        throw e
      },
    )
    if (!answered) return
  }
  if (call.audioVideoHref) await ending(http, await follow(http, call, call.audioVideoHref, 'stopAudioVideo'))
}

/** Declines an incoming call still ringing (decline_ref.md: reason Local). */
export async function decline(http: Pick<UcwaHttp, 'post'>, call: Call): Promise<void> {
  if (call.invitation.direction !== 'incoming' || !call.invitation.decline) throw new UcwaError({ status: 0, code: 'Conflict', message: 'The server does not offer declining this call.' })
  await ending(http, call.invitation.decline, { reason: 'Local' })
}
