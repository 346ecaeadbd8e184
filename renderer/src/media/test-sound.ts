// "Play a test sound": a short two-tone chime through the chosen speaker, as a call's audio would play.
import { playOn } from './speaker'

/** Plays ~0.8 s on the speaker `sinkId` ('' = default); resolves with the sink it really played on. */
export async function playTestSound(sinkId: string): Promise<string> {
  const ctx = new AudioContext()
  const out = ctx.createMediaStreamDestination()
  const gain = ctx.createGain()
  gain.gain.value = 0.2
  gain.connect(out)
  for (const [freq, at] of [
    [660, 0],
    [880, 0.4],
  ] as const) {
    const tone = ctx.createOscillator()
    tone.frequency.value = freq
    tone.connect(gain)
    tone.start(ctx.currentTime + at)
    tone.stop(ctx.currentTime + at + 0.35)
  }
  const el = new Audio()
  el.srcObject = out.stream
  await playOn(el, sinkId) // as a call's audio plays
  await el.play().catch(() => {})
  const used = el.sinkId ?? ''
  setTimeout(() => {
    el.pause()
    el.srcObject = null
    void ctx.close()
  }, 900)
  return used
}
