// What the browser bench puts into each page before the app loads. Plain strings: tsx's transform adds
// helpers that do not exist in the page.

export type Marks = Array<[string, number]>

/** the audio clock's address, served at the app's own origin (the CSP allows workers from 'self' only) */
export const audioClockUrl = '/__bench-audio-clock.js'

/**
 * Every RTCPeerConnection the page makes (the bench reads packets across the P2P and conference ones), and
 * wall-clock marks of each SDP step, gathering, connection, close and camera opening: the profile of where
 * the time goes. Audio receivers also pass the audio clock (below).
 */
export const trackConnections = `
  window.__pcs = []
  window.__marks = []
  window.__audioClock = null
  const mark = (what) => window.__marks.push([what, Date.now()])
  const clock = () => (window.__audioClock ??= new Worker('${audioClockUrl}'))
  const Real = window.RTCPeerConnection
  window.RTCPeerConnection = function (config) {
    const pc = new Real(config)
    window.__pcs.push(pc)
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && mark('gathered'))
    pc.addEventListener('connectionstatechange', () => pc.connectionState === 'connected' && mark('connected'))
    pc.addEventListener('track', (e) => { if (e.track.kind === 'audio') e.receiver.transform = new RTCRtpScriptTransform(clock(), { track: e.track.id }) })
    return pc
  }
  window.RTCPeerConnection.prototype = Real.prototype
  const sld = Real.prototype.setLocalDescription
  Real.prototype.setLocalDescription = function (d) { mark('local-' + (d && d.type)); return sld.apply(this, arguments) }
  const srd = Real.prototype.setRemoteDescription
  Real.prototype.setRemoteDescription = function (d) { mark('remote-' + (d && d.type)); return srd.apply(this, arguments) }
  const close = Real.prototype.close
  Real.prototype.close = function () { if (this.connectionState !== 'closed') mark('close'); return close.apply(this, arguments) }
  // which remote audio tracks the page plays, over time: a frame counts as heard only on one of them
  window.__heard = []
  const playing = () => window.__heard.push([performance.timeOrigin + performance.now(),
    [...document.querySelectorAll('audio')].flatMap((a) => a.srcObject ? a.srcObject.getAudioTracks().map((t) => t.id) : [])])
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', { ...srcObject, set(v) { srcObject.set.call(this, v); playing() } })
  addEventListener('DOMContentLoaded', () => new MutationObserver(playing).observe(document.body, { childList: true, subtree: true }))
  // when main's request for the final answer reaches the page (browser mode's WebSocket): what queues behind it shows
  const RealSocket = window.WebSocket
  window.WebSocket = function (url, protocols) {
    const ws = new RealSocket(url, protocols)
    ws.addEventListener('message', (m) => { if (typeof m.data === 'string' && m.data.includes('"media.request"') && m.data.includes('"kind":"answer"') && !m.data.includes('"provisional":true')) mark('final-request') })
    return ws
  }
  window.WebSocket.prototype = RealSocket.prototype
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  navigator.mediaDevices.getUserMedia = async (c) => { mark('gum-start'); const s = await gum(c); mark('gum-end'); return s }
`

/**
 * Every audio frame the page receives, on any connection, passes this worker (RTCRtpScriptTransform):
 * arrival times are taken off the page's main thread, so a busy page cannot fake or hide a gap.
 * 'start' begins a window; 'stop' answers with each arrival's wall-clock time and track.
 */
export const audioClock = `
  let recording = false, arrivals = []
  onrtctransform = (e) => {
    const t = e.transformer, track = t.options.track
    t.readable.pipeThrough(new TransformStream({ transform(frame, out) {
      if (recording) arrivals.push([performance.timeOrigin + performance.now(), track])
      out.enqueue(frame)
    } })).pipeTo(t.writable).catch(() => {})
  }
  onmessage = (e) => {
    if (e.data === 'start') { recording = true; arrivals = [] }
    else { recording = false; postMessage(arrivals) }
  }
`

/**
 * The intervals between frames the person hears over a window: arrivals on a track the page plays at that
 * moment (a frame on a connection still open but no longer played, or not played yet, is not heard).
 */
export const heardGaps = `new Promise((resolve) => {
  window.__audioClock.onmessage = (e) => {
    const heard = window.__heard
    let i = 0, last = 0
    const gaps = [], long = []
    for (const [t, track] of e.data) {
      while (i + 1 < heard.length && heard[i + 1][0] <= t) i++
      if (!heard[i] || heard[i][0] > t || !heard[i][1].includes(track)) continue
      if (last) { gaps.push(t - last); if (t - last > 60) long.push([Math.round(last), Math.round(t - last)]) }
      last = t
    }
    resolve({ gaps, long })
  }
  window.__audioClock.postMessage('stop')
})`

export const framesOf = `async (pc) => { let f = 0; (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') f += s.framesDecoded || 0 }); return f }`

/**
 * The microphone with a steady 440 Hz tone mixed in (WebAudio), for the escalation rows: Chromium's fake microphone is
 * silent between beeps, and a G.711 line with CN (the bridge's, toward an SfB unit) then sends only a comfort-noise
 * packet every 100 ms (RFC 3389 DTX), which the audio clock would take for gaps; Opus (webrtc) never pauses. With a
 * voice that never pauses, a gap is media that did not arrive. Stopping the track stops the microphone's too.
 */
export const steadyVoice = `
  const gumReal = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  navigator.mediaDevices.getUserMedia = async (c) => {
    const s = await gumReal(c)
    const mic = s.getAudioTracks()
    if (!mic.length) return s
    const ctx = new AudioContext()
    await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 500))])
    if (ctx.state !== 'running') { ctx.close(); return s }
    const dest = ctx.createMediaStreamDestination()
    ctx.createMediaStreamSource(new MediaStream(mic)).connect(dest)
    const tone = ctx.createOscillator()
    tone.frequency.value = 440
    const gain = ctx.createGain()
    gain.gain.value = 0.2
    tone.connect(gain).connect(dest)
    tone.start()
    const track = dest.stream.getAudioTracks()[0]
    const stop = track.stop.bind(track)
    track.stop = () => { stop(); mic.forEach((t) => t.stop()); ctx.close() }
    return new MediaStream([track, ...s.getVideoTracks()])
  }
`
