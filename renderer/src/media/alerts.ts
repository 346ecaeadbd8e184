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

/** A two-tone ring, repeated until stopped. */
export function ring(): () => void {
  let c: AudioContext
  try {
    c = new AudioContext()
  } catch {
    return () => {} // no audio output: the alert is silent
  }
  const burst = () => {
    for (const [f, at] of [
      [660, 0],
      [880, 0.25],
    ] as const) {
      const osc = c.createOscillator()
      const gain = c.createGain()
      gain.gain.value = 0.08
      osc.frequency.value = f
      osc.connect(gain).connect(c.destination)
      osc.start(c.currentTime + at)
      osc.stop(c.currentTime + at + 0.2)
    }
  }
  burst()
  const timer = setInterval(burst, 2000)
  return () => {
    clearInterval(timer)
    void c.close()
  }
}
