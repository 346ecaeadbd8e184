// Call waiting: one call in front at a time. Answering a call, or bringing a held one to the front, first puts every
// other connected two-person call on hold at the pool (audioVideoRenegotiation with a hold offer: nothing either way),
// so nobody is heard in, or hears, a call that is not in front. A conference has no hold in UCWA 2.0 (only phone audio
// has holdPhoneAudio, holdPhoneAudio_ref.md): I am muted there instead (muteAudio_ref.md), so its members do not hear
// the call in front; the window unmutes me when I come back to it, if I was not muted before.
import type { CallSnapshot } from '../../../preload/contract'
import { UcwaError } from '../errors'
import { describe } from '../log'
import type { CallChange } from './media-agent'

/** what call waiting needs of the call engine */
export interface WaitingCalls {
  list(): CallSnapshot[]
  change(id: string, what: CallChange): Promise<void>
  setMuted(id: string, muted: { audio?: boolean }): Promise<void>
}

/** a call I hear now that hold can take out of earshot: a connected two-person call I have not held */
const audible = (c: CallSnapshot) => c.state === 'connected' && !c.conference && !c.held

/** a conference that hears my microphone */
const heardConference = (c: CallSnapshot) => c.state === 'conference' && !c.audioMuted

/**
 * Holds every audible call but `except` (their hold offers are posted; each completes by its own event) and mutes me
 * in every conference. A hold or mute the pool refuses is logged, not thrown: the person still gets the call they answered.
 */
export async function holdOthers(calls: WaitingCalls, except: string, log: (message: string) => void): Promise<void> {
  const failed = (c: CallSnapshot) => (e: unknown) => log(`call ${c.id}: could not hold it for call ${except}: ${describe(e)}`)
  const others = calls.list().filter((c) => c.id !== except)
  await Promise.all([
    ...others.filter(audible).map((c) => calls.change(c.id, 'hold').catch(failed(c))),
    ...others.filter(heardConference).map((c) => calls.setMuted(c.id, { audio: true }).catch(failed(c))),
  ])
}

/**
 * Brings call `id` to the front: the others are held, then this one resumed if I held it. Throws UcwaError NotFound
 * for a call that is not live, Conflict for one still ringing (answer it instead).
 */
export async function switchTo(calls: WaitingCalls, id: string, log: (message: string) => void): Promise<void> {
  const call = calls.list().find((c) => c.id === id)
  if (!call || call.state === 'ended') throw new UcwaError({ status: 0, code: 'NotFound', message: 'That call has ended.' })
  if (call.state === 'ringing') throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'NotAnswered', message: 'Answer the call to talk in it.' })
  await holdOthers(calls, id, log)
  if (call.held) await calls.change(id, 'resume')
}
