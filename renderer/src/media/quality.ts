// Live call quality from getStats: what the quality indicator and the tests read.
export interface Quality {
  rttMs: number | null
  jitterMs: number | null
  lossPct: number
  inKbps: number
  outKbps: number
  framesDecoded: number
  audioBytesReceived: number
  videoTracksDecoding: number
  /** loudest remote audio level, 0..1 (needs the audio playing in an element) */
  audioLevel: number
  /** remote audio tracks (by id) heard above the speaking threshold since the previous reading */
  speaking: string[]
  /**
   * remote audio tracks (by id) whose packets since the previous reading carried digital silence: what a muted
   * microphone (a disabled track) sends, and no live one does — the far end's mute in a two-person call, which UCWA
   * does not signal (participantAudio's audioMuted is a conference's)
   */
  silent: string[]
  grade: 'good' | 'fair' | 'poor' | 'unknown'
}

export const emptyQuality: Quality = { rttMs: null, jitterMs: null, lossPct: 0, inKbps: 0, outKbps: 0, framesDecoded: 0, audioBytesReceived: 0, videoTracksDecoding: 0, audioLevel: 0, speaking: [], silent: [], grade: 'unknown' }

/** the indicator's words; unknown says nothing rather than claim a quality */
export const GRADE_WORDS: Record<Quality['grade'], string> = { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection', unknown: '' }

export function grade(q: Pick<Quality, 'rttMs' | 'lossPct' | 'jitterMs'>): Quality['grade'] {
  if (q.rttMs === null) return 'unknown'
  if (q.lossPct > 5 || q.rttMs > 400 || (q.jitterMs ?? 0) > 60) return 'poor'
  if (q.lossPct > 1 || q.rttMs > 200 || (q.jitterMs ?? 0) > 30) return 'fair'
  return 'good'
}

/** RMS level (0..1) over a reading's interval above which a voice counts as speaking: about −40 dBFS, above comfort noise */
export const SPEAKING_RMS = 0.01

interface Totals {
  at: number
  bytesIn: number
  bytesOut: number
  /** each remote audio track's totalAudioEnergy, totalSamplesDuration and bytesReceived */
  energy: Map<string, { energy: number; seconds: number; bytes: number }>
}

/** RMS level between two readings of a track's energy counters (getStats: totalAudioEnergy / totalSamplesDuration) */
export function rmsBetween(now: { energy: number; seconds: number }, before: { energy: number; seconds: number } | undefined): number {
  const seconds = now.seconds - (before?.seconds ?? 0)
  const energy = now.energy - (before?.energy ?? 0)
  return before && seconds > 0 && energy > 0 ? Math.sqrt(energy / seconds) : 0
}

/** packets arrived and were played between two readings, and not one sample of them was above zero */
export function silentBetween(now: { energy: number; seconds: number; bytes: number }, before: { energy: number; seconds: number; bytes: number } | undefined): boolean {
  return !!before && now.bytes > before.bytes && now.seconds > before.seconds && now.energy === before.energy
}

/** Counters that went backwards belong to a new connection (the move to a conference): no rate for that interval. */
function kbps(bytes: number, before: number | undefined, seconds: number): number {
  return before === undefined || seconds <= 0 || bytes < before ? 0 : Math.round(((bytes - before) * 8) / 1000 / seconds)
}

export async function measure(pc: RTCPeerConnection, previous: Totals | null): Promise<{ quality: Quality; totals: Totals }> {
  const report = await pc.getStats()
  let bytesIn = 0
  let bytesOut = 0
  let lost = 0
  let received = 0
  let jitter: number | null = null
  let rtt: number | null = null
  let frames = 0
  let audioBytes = 0
  let decoding = 0
  let level = 0
  const energy = new Map<string, { energy: number; seconds: number; bytes: number }>()
  report.forEach((s) => {
    if (s.type === 'inbound-rtp') {
      bytesIn += s.bytesReceived ?? 0
      lost += Math.max(0, s.packetsLost ?? 0)
      received += s.packetsReceived ?? 0
      if (typeof s.jitter === 'number') jitter = Math.max(jitter ?? 0, s.jitter * 1000)
      if (s.kind === 'video') {
        frames += s.framesDecoded ?? 0
        if ((s.framesDecoded ?? 0) > 0) decoding++
      } else {
        audioBytes += s.bytesReceived ?? 0
        level = Math.max(level, s.audioLevel ?? 0)
        if (s.trackIdentifier) energy.set(s.trackIdentifier, { energy: s.totalAudioEnergy ?? 0, seconds: s.totalSamplesDuration ?? 0, bytes: s.bytesReceived ?? 0 })
      }
    }
    if (s.type === 'outbound-rtp') bytesOut += s.bytesSent ?? 0
    if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') rtt = s.currentRoundTripTime * 1000
  })
  const at = performance.now()
  const seconds = previous ? (at - previous.at) / 1000 : 0
  const q = {
    rttMs: rtt,
    jitterMs: jitter,
    lossPct: received + lost > 0 ? (lost / (received + lost)) * 100 : 0,
    inKbps: kbps(bytesIn, previous?.bytesIn, seconds),
    outKbps: kbps(bytesOut, previous?.bytesOut, seconds),
    framesDecoded: frames,
    audioBytesReceived: audioBytes,
    videoTracksDecoding: decoding,
    audioLevel: level,
    speaking: [...energy].filter(([id, e]) => rmsBetween(e, previous?.energy.get(id)) > SPEAKING_RMS).map(([id]) => id),
    silent: [...energy].filter(([id, e]) => silentBetween(e, previous?.energy.get(id))).map(([id]) => id),
  }
  // nothing arriving (on hold, the first reading, the move to a conference): no figure to grade the call by
  return { quality: { ...q, grade: q.inKbps === 0 ? 'unknown' : grade(q) }, totals: { at, bytesIn, bytesOut, energy } }
}
