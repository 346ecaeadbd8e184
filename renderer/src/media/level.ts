// A microphone level meter: the loudest sample of the last frame, 0..1.
export function levelMeter(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const ctx = new AudioContext()
  const source = ctx.createMediaStreamSource(stream)
  const analyser = ctx.createAnalyser()
  analyser.fftSize = 512
  source.connect(analyser)
  const data = new Float32Array(analyser.fftSize)
  let running = true
  const tick = () => {
    if (!running) return
    analyser.getFloatTimeDomainData(data)
    let peak = 0
    for (const v of data) peak = Math.max(peak, Math.abs(v))
    onLevel(Math.min(1, peak))
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  return () => {
    running = false
    source.disconnect()
    void ctx.close()
  }
}
