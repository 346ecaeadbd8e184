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
    pc.addEventListener('track', (e) => { if (e.track.kind === 'audio') e.receiver.transform = new RTCRtpScriptTransform(clock(), {}) })
    return pc
  }
  window.RTCPeerConnection.prototype = Real.prototype
  const sld = Real.prototype.setLocalDescription
  Real.prototype.setLocalDescription = function (d) { mark('local-' + (d && d.type)); return sld.apply(this, arguments) }
  const srd = Real.prototype.setRemoteDescription
  Real.prototype.setRemoteDescription = function (d) { mark('remote-' + (d && d.type)); return srd.apply(this, arguments) }
  const close = Real.prototype.close
  Real.prototype.close = function () { if (this.connectionState !== 'closed') mark('close'); return close.apply(this, arguments) }
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  navigator.mediaDevices.getUserMedia = async (c) => { mark('gum-start'); const s = await gum(c); mark('gum-end'); return s }
`

/**
 * Every audio frame the page receives, on any connection, passes this worker (RTCRtpScriptTransform):
 * arrival times are taken off the page's main thread, so a busy page cannot fake or hide a gap.
 * 'start' begins a window; 'stop' answers with the intervals between frames and where the long ones began.
 */
export const audioClock = `
  let recording = false, last = 0, gaps = [], long = []
  onrtctransform = (e) => {
    const t = e.transformer
    t.readable.pipeThrough(new TransformStream({ transform(frame, out) {
      if (recording) {
        const now = performance.now()
        if (last) { gaps.push(now - last); if (now - last > 60) long.push([Date.now() - (now - last), Math.round(now - last)]) }
        last = now
      }
      out.enqueue(frame)
    } })).pipeTo(t.writable).catch(() => {})
  }
  onmessage = (e) => {
    if (e.data === 'start') { recording = true; last = 0; gaps = []; long = [] }
    else { recording = false; postMessage({ gaps, long }) }
  }
`

export const framesOf = `async (pc) => { let f = 0; (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') f += s.framesDecoded || 0 }); return f }`
