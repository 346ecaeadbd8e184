// In the browser (no Electron notifications): the Web Notifications API for an incoming call, and a ringtone.
export function notifyIncoming(o: { id: string; title: string; body: string; onClick(): void }): (() => void) | null {
  if (typeof Notification === 'undefined' || Notification.permission === 'denied') return null
  const show = () => {
    const n = new Notification(o.title, { body: o.body, tag: o.id, requireInteraction: true })
    n.onclick = () => {
      o.onClick()
      n.close()
    }
    return n
  }
  if (Notification.permission === 'granted') {
    const n = show()
    return () => n.close()
  }
  let n: Notification | null = null
  let cancelled = false
  void Notification.requestPermission().then((p) => {
    if (p === 'granted' && !cancelled) n = show()
  })
  return () => {
    cancelled = true
    n?.close()
  }
}

/** One AudioContext for every ring, made at the first ring: building one costs ~26 ms of the page's thread (issue #24). */
let shared: AudioContext | null | undefined
function ringContext(): AudioContext | null {
  if (shared === undefined) {
    try {
      shared = new AudioContext()
    } catch {
      shared = null // no audio output: the alert is silent
    }
  }
  return shared
}

/** A two-tone ring, repeated every 2 s until stopped; its first tone comes after the current task (the offer's answer goes first). */
export function ring(): () => void {
  const playing = new Set<OscillatorNode>()
  const burst = () => {
    const c = ringContext()
    if (!c) return
    for (const [f, at] of [
      [660, 0],
      [880, 0.25],
    ] as const) {
      const osc = c.createOscillator()
      const gain = c.createGain()
      gain.gain.value = 0.08
      osc.frequency.value = f
      osc.connect(gain).connect(c.destination)
      playing.add(osc)
      osc.onended = () => {
        playing.delete(osc)
        osc.disconnect()
      }
      osc.start(c.currentTime + at)
      osc.stop(c.currentTime + at + 0.2)
    }
  }
  const first = setTimeout(burst, 0)
  const timer = setInterval(burst, 2000)
  return () => {
    clearTimeout(first)
    clearInterval(timer)
    // the context stays for the next ring; what this ring scheduled goes silent now
    for (const osc of playing) osc.stop()
  }
}
