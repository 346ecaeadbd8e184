// The chaos run: calls between simulated and browser-mode clients while the simulator injects faults at
// random (seeded). It reports calls completed, calls ended with a clear error (by cause), events lost
// (what the simulator sent against what the clients delivered) and the longest event-channel recovery.
import type { CallSnapshot } from '../../main/ucwa/calls'
import { UcwaError } from '../../main/ucwa/errors'
import { startSimulator, type Simulator } from '../simulator/index'
import { browserParticipant, simulatedParticipant, type Participant } from './participants'

export interface ChaosOptions {
  calls: number
  seed: number
  /** every Nth call has a browser-mode client on one end (0: none) */
  browserEvery: number
  log?: (line: string) => void
}

export interface ChaosReport {
  seed: number
  calls: number
  completed: number
  /** calls that ended with a typed error a person can read, by code/subcode */
  endedWithError: Record<string, number>
  /** anything else: a call stuck, an untyped error, media that never connected on a connected call */
  unclear: string[]
  faults: Record<string, number>
  signInsAgain: number
  eventsSent: number
  eventsDelivered: number
  eventsLost: number
  eventsDuplicated: number
  /** self links of packages sent and not (fully) delivered */
  lostPages: string[]
  longestRecoveryMs: number
  durationMs: number
}

/** mulberry32: small, seeded, good enough to pick faults */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Fault = 'none' | 'dropped connection' | 'delay' | '5xx' | 'PGetReplaced' | 'application expiry' | 'token expiry' | 'pool restart'
const faultKinds: Fault[] = ['none', 'none', 'dropped connection', 'delay', '5xx', 'PGetReplaced', 'application expiry', 'token expiry', 'pool restart']
const resources = ['events', 'startAudioVideo', 'acceptWithAnswer', 'stopAudioVideo', 'audioVideoInvitation', 'conversation']

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until<T>(read: () => T | undefined, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms
  for (;;) {
    const v = read()
    if (v !== undefined) return v
    if (Date.now() > end) return undefined
    await sleep(20)
  }
}

/** a step that never ends is an outcome too: reported, never waited for forever */
function bounded<T>(step: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([step, sleep(ms).then(() => Promise.reject(new Error(`${what} did not finish in ${ms / 1000} s`)))])
}

const last = (p: Participant, id: string): CallSnapshot | undefined => [...p.seen].reverse().find((s) => s.id === id)
const cause = (r: { code: string; subcode?: string }) => (r.subcode ? `${r.code}/${r.subcode}` : r.code)

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const t0 = Date.now()
  const random = rng(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const log = options.log ?? (() => {})
  const sim: Simulator = await startSimulator({ config: { ringTimeoutMs: 8000 } })
  const sent = sim.control.recordSentEvents()
  const report: ChaosReport = {
    seed: options.seed,
    calls: options.calls,
    completed: 0,
    endedWithError: {},
    unclear: [],
    faults: {},
    signInsAgain: 0,
    eventsSent: 0,
    eventsDelivered: 0,
    eventsLost: 0,
    eventsDuplicated: 0,
    lostPages: [],
    longestRecoveryMs: 0,
    durationMs: 0,
  }
  const people: Participant[] = [
    await simulatedParticipant(sim, 'alice@contoso.test', 'Alice Ahlberg'),
    await simulatedParticipant(sim, 'bob@contoso.test', 'Bob Brennan'),
    await simulatedParticipant(sim, 'dave@contoso.test', 'Dave Dubois'), // homed on the second pool
  ]
  const browser = options.browserEvery > 0 ? await browserParticipant(sim, 'carol@contoso.test', 'Carol Castillo') : null
  const everyone = browser ? [...people, browser] : people

  // a person reading "Parley was opened somewhere else" signs in again; the run does so at once
  let running = true
  const rescuing = new Set<Participant>()
  const watcher = (async () => {
    while (running) {
      for (const p of everyone) {
        if (p.client.state !== 'replaced' || rescuing.has(p)) continue
        rescuing.add(p)
        report.signInsAgain++
        void p
          .signIn()
          .catch((e) => report.unclear.push(`${p.sip} could not sign in again: ${(e as Error).message}`))
          .finally(() => rescuing.delete(p))
      }
      await sleep(100)
    }
  })()

  const recovery = () => {
    for (const p of everyone) report.longestRecoveryMs = Math.max(report.longestRecoveryMs, p.client.channelRecoveryMs)
  }
  /** back to a usable state before the next call: the run signs in again where a person would */
  const settle = async () => {
    sim.control.clearFaults()
    for (const p of everyone) {
      const state = await until(() => (p.client.state === 'signed-in' || (p.client.state === 'signed-out' && !rescuing.has(p)) ? p.client.state : undefined), 20_000)
      recovery()
      if (state === 'signed-in') continue
      report.signInsAgain++
      await bounded(p.signIn(), 30_000, `${p.sip} signing in again (was ${p.client.state})`).catch((e) => report.unclear.push(`${p.sip} could not sign in again: ${(e as Error).message}`))
    }
  }

  for (let i = 0; i < options.calls; i++) {
    const useBrowser = browser && options.browserEvery > 0 && i % options.browserEvery === options.browserEvery - 1
    const caller = useBrowser && random() < 0.5 ? browser : pick(people)
    const callee = useBrowser && caller !== browser ? browser : pick(people.filter((p) => p !== caller))
    const fault = pick(faultKinds)
    report.faults[fault] = (report.faults[fault] ?? 0) + 1
    const victim = pick(everyone.filter((p) => p === caller || p === callee))
    if (fault === 'dropped connection') sim.control.fault({ kind: 'drop', resource: pick(resources), times: 1 + Math.floor(random() * 2) })
    if (fault === 'delay') sim.control.fault({ kind: 'delay', resource: pick(resources), ms: 100 + Math.floor(random() * 1400) })
    if (fault === '5xx') sim.control.fault({ kind: 'fail', resource: pick(resources), status: pick([500, 503]), code: 'ServiceFailure' })
    if (fault === 'PGetReplaced') sim.control.fault({ kind: 'fail', resource: 'events', method: 'GET', status: 409, code: 'Conflict', subcode: 'PGetReplaced' })
    const later = Math.floor(random() * 1200)
    const act = async () => {
      await sleep(later)
      if (fault === 'application expiry') sim.control.expireApplication(victim.sip)
      if (fault === 'token expiry') sim.control.expireTokens(victim.sip)
      if (fault === 'pool restart') await sim.control.restartPool(victim.sip.startsWith('dave') ? 'pool2' : 'pool1')
    }
    const acting = bounded(act(), 30_000, fault).catch((e) => report.unclear.push(`#${i + 1}: ${(e as Error).message}`))
    const label = `#${i + 1} ${caller.sip.split('@')[0]} → ${callee.sip.split('@')[0]} (${fault})`
    let id: string
    try {
      id = await bounded(caller.call(callee), 30_000, 'starting the call')
    } catch (e) {
      await acting
      if (e instanceof UcwaError) report.endedWithError[cause(e)] = (report.endedWithError[cause(e)] ?? 0) + 1
      else report.unclear.push(`${label}: could not start: ${(e as Error).message} (caller's calls: ${caller.engine.list().map((c) => c.state).join(', ') || 'none'}; session ${caller.client.state})`)
      log(`${label}: not started (${e instanceof UcwaError ? cause(e) : (e as Error).message})`)
      await settle()
      continue
    }
    const outcome = await until(() => {
      const s = last(caller, id)
      return s && (s.state === 'connected' || s.state === 'ended') ? s : undefined
    }, 25_000)
    await acting
    let ended = outcome?.state === 'ended' ? outcome : undefined
    if (outcome?.state === 'connected') {
      const media = await caller.mediaConnected(id)
      await sleep(150)
      const stillUp = last(caller, id)?.state === 'connected'
      if (stillUp) await caller.hangUp(id).catch(() => {})
      ended = await until(() => (last(caller, id)?.state === 'ended' ? last(caller, id) : undefined), 15_000)
      const mine = ended?.endReason?.message === 'You ended the call.'
      if (ended && mine && media && stillUp) report.completed++
      else if (ended?.endReason && !mine) report.endedWithError[cause(ended.endReason)] = (report.endedWithError[cause(ended.endReason)] ?? 0) + 1
      else if (ended && !media) report.unclear.push(`${label}: connected, but media never did`)
      else if (!ended) report.unclear.push(`${label}: hang-up never finished (${last(caller, id)?.state})`)
      else report.endedWithError['Informational/CallTerminated'] = (report.endedWithError['Informational/CallTerminated'] ?? 0) + 1
    } else if (ended?.endReason) {
      report.endedWithError[cause(ended.endReason)] = (report.endedWithError[cause(ended.endReason)] ?? 0) + 1
    } else {
      report.unclear.push(`${label}: stuck in ${last(caller, id)?.state ?? 'nothing'}`)
      await caller.engine.hangUp(id).catch(() => {})
    }
    // the callee's side must end too: a call left ringing or connected there is a bug a person would see
    const calleeSide = await until(() => {
      const open = callee.engine.list().filter((c) => c.remote.uri === `sip:${caller.sip}`)
      return open.length === 0 ? true : undefined
    }, 12_000)
    if (!calleeSide) {
      report.unclear.push(`${label}: the callee still shows the call (${callee.engine.list().map((c) => c.state).join(', ')})`)
      for (const c of callee.engine.list()) await callee.engine.hangUp(c.id).catch(() => {})
    }
    log(`${label}: ${ended?.endReason ? cause(ended.endReason) : (ended?.state ?? 'stuck')}`)
    await settle()
  }

  // every event the pool sent must have reached the domain layer once: give the last pages time to land
  const tally = () => {
    let lost = 0
    let dup = 0
    let delivered = 0
    const got = new Map<string, number>()
    for (const p of everyone) for (const [self, n] of p.delivered) got.set(self, (got.get(self) ?? 0) + n)
    const lostPages: string[] = []
    for (const [self, n] of sent) {
      lost += Math.max(0, n - (got.get(self) ?? 0))
      if (n > (got.get(self) ?? 0)) lostPages.push(self)
    }
    for (const [self, n] of got) {
      delivered += n
      dup += Math.max(0, n - (sent.get(self) ?? 0))
    }
    return { lost, dup, delivered, lostPages }
  }
  await until(() => (tally().lost === 0 ? true : undefined), 5000)
  const t = tally()
  report.eventsSent = [...sent.values()].reduce((a, b) => a + b, 0)
  report.eventsDelivered = t.delivered
  report.eventsLost = t.lost
  report.eventsDuplicated = t.dup
  report.lostPages = t.lostPages
  recovery()
  running = false
  await watcher
  for (const p of everyone) await p.close().catch(() => {})
  await sim.close()
  report.durationMs = Date.now() - t0
  return report
}
