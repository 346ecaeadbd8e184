// Camera off means off: the camera track is stopped (the device is released, its light goes off) and taken off every
// connection's sender; camera on opens the device again and puts the new track where the camera was sent.
import type { ShallowRef } from 'vue'

/** what the camera needs of the media engine */
export interface CameraHost {
  readonly local: ShallowRef<MediaStream | null>
  readonly calls: ReadonlyMap<string, { p2p?: RTCPeerConnection; conference?: RTCPeerConnection }>
}

function connections(host: CameraHost): RTCPeerConnection[] {
  return [...host.calls.values()].flatMap((m) => [m.p2p, m.conference]).filter((pc): pc is RTCPeerConnection => !!pc && pc.connectionState !== 'closed')
}

/** the video section that carries my camera: the first one that sends */
export function cameraTransceiver(pc: RTCPeerConnection): RTCRtpTransceiver | undefined {
  return pc.getTransceivers().find((t) => t.receiver.track.kind === 'video' && t.currentDirection !== 'stopped' && (t.direction === 'sendrecv' || t.direction === 'sendonly'))
}

/** Stops the camera: every sender of it sends nothing, the track ends, the local stream keeps its microphone only. */
export async function releaseCamera(host: CameraHost): Promise<void> {
  const stream = host.local.value
  const tracks = stream?.getVideoTracks() ?? []
  if (!stream || !tracks.length) return
  for (const pc of connections(host)) for (const s of pc.getSenders()) if (s.track && tracks.includes(s.track)) await s.replaceTrack(null)
  for (const t of tracks) t.stop()
  host.local.value = new MediaStream(stream.getAudioTracks()) // new identity: the preview rebinds
}

/**
 * Opens the camera again (`constraint`: the chosen device or true) and sends it on each connection's camera section
 * that has no track; `only` limits that to one connection. Returns the new track.
 */
export async function reacquireCamera(host: CameraHost, constraint: MediaTrackConstraints | boolean, only?: RTCPeerConnection): Promise<MediaStreamTrack> {
  const existing = host.local.value?.getVideoTracks().find((t) => t.readyState === 'live')
  const track = existing ?? (await navigator.mediaDevices.getUserMedia({ video: constraint })).getVideoTracks()[0]!
  track.enabled = true
  for (const pc of only ? [only] : connections(host)) {
    const t = cameraTransceiver(pc)
    if (t && t.sender.track !== track) await t.sender.replaceTrack(track)
  }
  if (!existing) host.local.value = new MediaStream([...(host.local.value?.getAudioTracks() ?? []), track])
  return track
}
