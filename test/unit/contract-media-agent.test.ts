// Main's MediaAgent over the contract (main/core/media-bridge.ts): a re-offer the pool declined is taken back by the
// renderer, which hears of it as media.rollback for that call (what it changed for the offer goes back too).
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { ContractMediaAgent } from '../../main/core/media-bridge'
import { EventHub } from '../../main/core/event-hub'
import { contract } from '../../preload/contract'

describe('the renderer agent and a declined re-offer', () => {
  it('reofferFailed asks the renderer to roll that call back, in the contract’s shape, and waits for nothing', () => {
    const events = new EventHub()
    const seen: Array<[string, unknown]> = []
    events.subscribe((name, payload) => void seen.push([name, payload]))
    const agent = new ContractMediaAgent(events, 50)
    agent.reofferFailed('call-7')
    expect(seen).toEqual([['media.rollback', { callId: 'call-7' }]])
    expect(v.parse(contract.events['media.rollback'], seen[0]![1])).toEqual({ callId: 'call-7' })
  })
})
