// The people in the chaos run: simulated clients (the main-process UCWA client and call engine with werift
// media, in this process) and browser-mode clients (the real renderer in Chromium with the real core).
// Both answer every call at once and can be told to call, hang up, and sign in again.
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine, type CallSnapshot } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import { launchClient } from '../e2e/harness'
import type { Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { WeriftMedia } from '../support/werift-media'

export interface Participant {
  kind: 'simulated' | 'browser'
  sip: string
  name: string
  client: UcwaClient
  engine: CallEngine
  /** every snapshot of every call, in order */
  seen: CallSnapshot[]
  /** events pages delivered to the domain layer: self link → number of events */
  delivered: Map<string, number>
  /** starts a video call and resolves with its id once the engine has it */
  call(to: Participant): Promise<string>
  hangUp(callId: string): Promise<void>
  /** has the media of this call connected (ICE and DTLS up)? */
  mediaConnected(callId: string): Promise<boolean>
  signIn(): Promise<void>
  close(): Promise<void>
}

const pathOf = (href: string) => (href.startsWith('http') ? new URL(href).pathname + new URL(href).search : href)

function recordPages(client: UcwaClient): Map<string, number> {
  const delivered = new Map<string, number>()
  client.on('page', (p) => delivered.set(pathOf(p.self), (delivered.get(pathOf(p.self)) ?? 0) + p.count))
  return delivered
}

function watchCalls(engine: CallEngine, answer: (s: CallSnapshot) => void): CallSnapshot[] {
  const seen: CallSnapshot[] = []
  engine.onChange((s) => {
    seen.push(s)
    if (s.direction === 'incoming' && s.state === 'ringing') answer(s)
  })
  return seen
}

const password = (sip: string) => `${sip.split('@')[0]}-pass`

export async function simulatedParticipant(sim: Simulator, sip: string, name: string): Promise<Participant> {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 20, capMs: 500 } } })
  const media = new WeriftMedia(sip)
  const engine = new CallEngine(client, media)
  const seen = watchCalls(engine, (s) => void engine.accept(s.id).catch(() => {}))
  const p: Participant = {
    kind: 'simulated',
    sip,
    name,
    client,
    engine,
    seen,
    delivered: recordPages(client),
    async call(to) {
      return (await engine.start(to.sip)).id
    },
    hangUp: (id) => engine.hangUp(id),
    async mediaConnected(id) {
      const peer = media.current(id)
      if (!peer) return false
      return Promise.race([peer.connected().then(() => true, () => false), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))])
    },
    async signIn() {
      await client.signIn({ sipAddress: sip, password: password(sip), remember: true, discoveryUrl: sim.url })
    },
    async close() {
      await client.signOut().catch(() => {})
      await media.closeAll()
    },
  }
  await p.signIn()
  return p
}

/** Accepts with video the moment the incoming call shows, as the bench does. */
const autoAnswer = `new MutationObserver(() => {
  const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Accept with video')
  if (b) b.click()
}).observe(document.body, { childList: true, subtree: true })`

export async function browserParticipant(sim: Simulator, sip: string, name: string): Promise<Participant> {
  const core = await testCore({ demo: { discoveryUrl: sim.url, users: [] }, ucwa: { channel: { backoff: { baseMs: 20, capMs: 500 } } } })
  const ui = await launchClient({ core })
  const page: Page = ui.page
  const seen = watchCalls(core.calls, () => {}) // the page answers
  const delivered = recordPages(core.client)
  const newest = (pred: (s: CallSnapshot) => boolean) => [...seen].reverse().find(pred)
  const p: Participant = {
    kind: 'browser',
    sip,
    name,
    client: core.client,
    engine: core.calls,
    seen,
    delivered,
    async call(to) {
      const before = new Set(seen.map((s) => s.id))
      await page.getByRole('button', { name: `Video call ${to.name}` }).click({ timeout: 10_000 })
      const end = Date.now() + 10_000
      for (;;) {
        const started = newest((s) => s.direction === 'outgoing' && !before.has(s.id))
        if (started) return started.id
        if (Date.now() > end) throw new Error('the page did not start the call')
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async hangUp(id) {
      const hangUp = page.getByRole('button', { name: 'Hang up' })
      if (await hangUp.isVisible()) await hangUp.click({ timeout: 5000 })
      else await core.calls.hangUp(id).catch(() => {})
    },
    async mediaConnected(id) {
      const end = Date.now() + 5000
      while (Date.now() < end) {
        const state = await page.evaluate(`(() => { const pcs = window.__pcs || []; return pcs.some((pc) => pc.connectionState === 'connected') })()`)
        if (state) return true
        if (core.calls.get(id)?.state === 'ended') return false
        await new Promise((r) => setTimeout(r, 50))
      }
      return false
    },
    async signIn() {
      await page.getByLabel('Sign-in address').fill(sip)
      await page.getByLabel('Password', { exact: true }).fill(password(sip))
      const keep = page.getByLabel('Keep me signed in')
      if (!(await keep.isChecked())) await keep.check()
      const advanced = page.getByLabel('Discovery URL')
      if (!(await advanced.isVisible())) await page.getByText('Advanced').click()
      await advanced.fill(sim.url)
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.getByTestId('me').waitFor({ timeout: 15_000 })
    },
    close: () => ui.close(),
  }
  await page.addInitScript({ content: trackConnections })
  await page.reload()
  await page.evaluate(autoAnswer)
  await p.signIn()
  return p
}

/** every RTCPeerConnection the page makes, so the run can see whether media connected */
const trackConnections = `
  window.__pcs = []
  const Real = window.RTCPeerConnection
  window.RTCPeerConnection = function (config) { const pc = new Real(config); window.__pcs.push(pc); return pc }
  window.RTCPeerConnection.prototype = Real.prototype
`
