// The incoming-call ring reuses one AudioContext, made off the offer's path (issue #24: ~26 ms of the callee's thread per offer).
import { afterEach, describe, expect, it, vi } from 'vitest'

/** Web Audio as far as the ring uses it (happy-dom has none): counts contexts and which tones are still due to play. */
const audio = { contexts: 0, sounding: new Set<object>() }
class FakeNode {
  connect(next: FakeNode = new FakeNode()) {
    return next
  }
  disconnect() {}
}
class FakeOscillator extends FakeNode {
  frequency = { value: 0 }
  onended: (() => void) | null = null
  start() {
    audio.sounding.add(this)
  }
  stop(when?: number) {
    if (when === undefined) audio.sounding.delete(this) // stop now; a scheduled stop leaves it due to play
  }
}
class CountingAudioContext {
  currentTime = 0
  destination = new FakeNode()
  constructor() {
    audio.contexts++
  }
  createOscillator() {
    return new FakeOscillator()
  }
  createGain() {
    return Object.assign(new FakeNode(), { gain: { value: 1 } })
  }
  close() {
    audio.sounding.clear()
    return Promise.resolve()
  }
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('incoming-call ring', () => {
  it('builds no AudioContext while the offer lands, one at its first tone, the same one for later calls, and falls silent when stopped', async () => {
    vi.stubGlobal('AudioContext', CountingAudioContext)
    vi.useFakeTimers()
    const { ring } = await import('../../renderer/src/media/alerts')
    const stop = ring()
    expect(audio.contexts).toBe(0) // nothing on the offer's own task
    vi.advanceTimersByTime(0)
    expect(audio.contexts).toBe(1)
    expect(audio.sounding.size).toBe(2) // the two tones
    stop()
    expect(audio.sounding.size).toBe(0)
    vi.advanceTimersByTime(5000)
    expect(audio.sounding.size).toBe(0) // no burst after stop
    for (let call = 0; call < 3; call++) {
      const again = ring()
      vi.advanceTimersByTime(2000)
      expect(audio.sounding.size).toBe(4) // the first burst and the repeat
      again()
    }
    expect(audio.contexts).toBe(1)
  })
})
