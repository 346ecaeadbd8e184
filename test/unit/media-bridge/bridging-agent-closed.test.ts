// A call closed (ended) while the BridgingAgent still sets up its bridge call: the worker's call is closed, nothing kept.
import { describe, expect, it } from 'vitest'
import { BridgingAgent } from '../../../main/media-bridge/bridging-agent'
import { renderer, rendererAnswer, sfbMultipart, worker } from './agent-stand-ins'

/** A promise the test settles, and whether it was asked for. */
function gate() {
  let open = () => {}
  const g = { asked: false, wait: () => ((g.asked = true), new Promise<void>((r) => (open = r))), open: () => open() }
  return g
}

describe('BridgingAgent: closed while setting up', () => {
  it('our own offer: the call closed while the worker makes it; once made, the worker closes it and the pool\'s later answer finds no bridge call', async () => {
    const r = renderer()
    const wk = worker()
    const g = gate()
    const offer = wk.w.offer.bind(wk.w)
    wk.w.offer = (...a) => g.wait().then(() => offer(...a))
    const agent = new BridgingAgent(r.agent, { worker: () => wk.w })
    const made = agent.createOffer('c1', 'call')
    await expect.poll(() => g.asked).toBe(true)
    agent.close('c1', 'all')
    g.open()
    await expect(made).rejects.toMatchObject({ reason: 'RelayCrashed' })
    expect(wk.asked).toContain('close:c1/p2p')
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'call' })
    expect(wk.asked.some((a) => a.startsWith('poolAnswered:'))).toBe(false)
  })

  it('answering the pool: the call closed while the renderer answers; the bridge call is closed and not brought up after', async () => {
    const r = renderer()
    const wk = worker()
    const g = gate()
    const agent = new BridgingAgent({ ...r.agent, createAnswer: () => g.wait().then(() => rendererAnswer) }, { worker: () => wk.w })
    const answering = agent.createAnswer('c1', sfbMultipart(), 'call')
    await expect.poll(() => g.asked).toBe(true)
    agent.close('c1', 'all')
    g.open()
    await expect(answering).rejects.toMatchObject({ reason: 'RelayCrashed' })
    expect(wk.asked.some((a) => a.startsWith('rendererAnswered:'))).toBe(false)
    // nothing kept: a later hold goes to the renderer as on an unbridged call
    await agent.reoffer('c1', 'hold')
    expect(wk.asked.some((a) => a.startsWith('reoffer:'))).toBe(false)
  })
})
