// One call's life as a state machine: every move the engine makes goes through this table.
// The states are the contract's (preload/contract.ts CallState), declared once there:
// preparing (asking the renderer for an offer), calling (startAudioVideo sent), early-media (a provisional answer
// arrived), ringing (incoming), answering (accepted, the answer on its way), connected (P2P media), escalating
// (moving into a conference, P2P media still up), conference (media through the conference), ending, ended.
import type { CallState } from '../../preload/contract'
import { StateMachine } from './state-machine'

export type { CallState } from '../../preload/contract'

export const callTransitions: Record<CallState, CallState[]> = {
  preparing: ['calling', 'ending', 'ended'],
  // calling → conference: an online meeting's audio/video (addAudioVideo) completes straight into the conference
  calling: ['early-media', 'connected', 'conference', 'ending', 'ended'],
  'early-media': ['connected', 'ending', 'ended'],
  ringing: ['answering', 'ending', 'ended'],
  answering: ['connected', 'conference', 'ending', 'ended'],
  connected: ['escalating', 'conference', 'ending', 'ended'],
  escalating: ['conference', 'connected', 'ending', 'ended'],
  conference: ['ending', 'ended'],
  ending: ['ended'],
  ended: [],
}

export function callMachine(initial: CallState): StateMachine<CallState> {
  return new StateMachine<CallState>('call', initial, callTransitions)
}
