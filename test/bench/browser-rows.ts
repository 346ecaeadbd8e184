// The browser suite's rows: call set-up against its same-run baselines, and the escalations' gaps and stalls.
import type { Canary } from './canary'
import type { Row } from './report'
import { median, percentile, round } from './stats'

/** each escalation's audio window, before, during and after the move */
export const MOVE_WINDOW_MS = 4500

/** The steps of one call, each as ms since the click (wall clock, shared by pages and cores). */
export const setUpSteps: Array<{ label: string; at: 'caller' | 'callee' | 'callerCore' | 'calleeCore'; mark: string }> = [
  { label: 'caller’s offer created', at: 'caller', mark: 'local-offer' },
  { label: 'caller’s candidates gathered', at: 'caller', mark: 'gathered' },
  { label: 'caller opens camera and microphone (getUserMedia resolves)', at: 'caller', mark: 'gum-end' },
  { label: 'caller’s main process has posted startAudioVideo (renderer → main → pool)', at: 'callerCore', mark: 'calling' },
  { label: 'callee’s main process announces the call (pool → P-GET → main)', at: 'calleeCore', mark: 'ringing' },
  { label: 'offer reaches the callee’s page (main → renderer)', at: 'callee', mark: 'remote-offer' },
  { label: 'callee’s provisional answer set (no camera)', at: 'callee', mark: 'local-pranswer' },
  { label: 'callee clicks Accept (at once, or BENCH_ACCEPT_AFTER_MS after the call shows)', at: 'callee', mark: 'accept' },
  { label: 'main’s request for the final answer reaches the callee’s page', at: 'callee', mark: 'final-request' },
  { label: 'callee’s final answer set', at: 'callee', mark: 'local-answer' },
  { label: 'callee opens camera and microphone', at: 'callee', mark: 'gum-end' },
  { label: 'final answer reaches the caller’s page', at: 'caller', mark: 'remote-answer' },
  { label: 'caller’s connection connected (ICE + DTLS)', at: 'caller', mark: 'connected' },
  { label: 'caller decodes the first remote video frame', at: 'caller', mark: 'first-frame' },
]

export interface SetUpSamples {
  /** click Call → first remote frame on the caller's page, ms */
  ucwa: number[]
  oneWay: number[]
  twoWay: number[]
  profile: Array<Record<string, number>>
}

export interface Move {
  moveMs: number
  longestGap: number
  typicalGap: number
  stillGap: number
  settledGap: number
  poolStallMs: number
  unitStall: number
  machineStall: number
  realtime: number
}
export interface Moves {
  done: Move[]
  aborted: number
}

const medP95 = (v: number[]) => `${round(median(v))} / ${round(percentile(v, 95))}`
const medWorst = (v: number[]) => (v.length ? `${round(median(v))} / ${round(Math.max(...v))}` : 'none')

export function setUpRows(s: SetUpSamples, load: string): Row[] {
  const suite = `call set-up (${load})`
  const n = s.ucwa.length
  const twoWay = median(s.ucwa) / median(s.twoWay)
  return [
    {
      suite,
      metric: `click Call → first remote frame decoded, through UCWA and the simulator (median / p95 of ${n})`,
      value: medP95(s.ucwa),
      unit: 'ms',
      baseline: { label: 'two RTCPeerConnections in the same Chromium, SDP handed over directly, both sending a camera (as the call)', value: medP95(s.twoWay) },
    },
    { suite, metric: 'ratio of medians (against the two-way baseline: like with like)', value: round(twoWay, 2), unit: '×', target: '≤ 1.3', met: twoWay <= 1.3 },
    {
      suite,
      metric: '  the old one-way baseline (only the offerer sends a camera), and the ratio against it',
      value: `${medP95(s.oneWay)} ms; ${round(median(s.ucwa) / median(s.oneWay), 2)} ×`,
      unit: '',
    },
    // where the time goes: the median moment of each step after the click (steps the run never saw are left out)
    ...setUpSteps
      .map((step) => ({ step, t: s.profile.map((p) => p[step.label]).filter((v): v is number => v !== undefined) }))
      .filter(({ t }) => t.length > 0)
      .map(({ step, t }) => ({ suite, metric: `  at (median ms after the click): ${step.label}`, value: median(t), unit: 'ms' })),
  ]
}

export function moveRows({ done: moves, aborted }: Moves, canary: Canary, load: string): Row[] {
  const suite = `escalation (${load})`
  const gaps = moves.map((m) => m.longestGap)
  const n = moves.length + aborted
  return [
    { suite, metric: `moves aborted (never reached Conference) of ${n}`, value: aborted, unit: '', target: '0', met: aborted === 0 },
    { suite, metric: `Add participant → Conference on the caller’s screen (Carol answering at once; includes two clicks by the test; median / worst of ${moves.length})`, value: medWorst(moves.map((m) => m.moveMs)), unit: 'ms' },
    {
      suite,
      metric: `longest gap in the audio Bob hears (frames arriving on a track his page plays) over ${MOVE_WINDOW_MS / 1000} s while the call moves (median / worst of ${moves.length})`,
      value: medWorst(gaps),
      unit: 'ms',
      baseline: { label: `longest gap over ${MOVE_WINDOW_MS / 1000} s of the same P2P call just before, nothing moving`, value: medWorst(moves.map((m) => m.stillGap)) },
      target: '≤ 150 ms (each move)',
      met: gaps.length > 0 && Math.max(...gaps) <= 150,
    },
    { suite, metric: `  longest gap in the audio Bob hears over ${MOVE_WINDOW_MS / 1000} s of the settled conference just after (median / worst)`, value: medWorst(moves.map((m) => m.settledGap)), unit: 'ms' },
    { suite, metric: '  median interval between audio frames Bob hears during the move', value: moves.length ? round(median(moves.map((m) => m.typicalGap))) : 'none', unit: 'ms' },
    {
      suite,
      metric: `  longest stall of the machine itself during the move: a ${canary.topPriority ? 'top-priority (nice -20)' : 'plain'} process in a session of its own, waking every 5 ms (median / worst)`,
      value: medWorst(moves.map((m) => m.machineStall)),
      unit: 'ms',
    },
    { suite, metric: '  threads of the clients’ Chromiums at real-time priority in the conference (started without CAP_SYS_NICE, as a desktop user’s)', value: moves.length ? Math.max(...moves.map((m) => m.realtime)) : 'none', unit: 'threads' },
    { suite, metric: '  longest event-loop stall of the simulator’s conference unit (a process of its own), during the move (median / worst)', value: medWorst(moves.map((m) => m.unitStall)), unit: 'ms' },
    { suite, metric: '  longest event-loop stall of the process running the pool and the three cores, during the move (median / worst)', value: medWorst(moves.map((m) => m.poolStallMs)), unit: 'ms' },
  ]
}
