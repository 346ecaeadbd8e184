// A quick look through the camera and microphone: the first thing a meeting client lets you check.
export interface CameraCheck {
  stream: MediaStream
  videoLabel: string
  audioLabel: string
  stop(): void
}

export async function startCameraCheck(constraints: MediaStreamConstraints = { video: true, audio: true }): Promise<CameraCheck> {
  const stream = await navigator.mediaDevices.getUserMedia(constraints)
  const [video] = stream.getVideoTracks()
  const [audio] = stream.getAudioTracks()
  return {
    stream,
    videoLabel: video?.label ?? '',
    audioLabel: audio?.label ?? '',
    stop: () => stream.getTracks().forEach((t) => t.stop()),
  }
}

export function describeMediaError(e: unknown): string {
  const name = e instanceof DOMException ? e.name : ''
  if (name === 'NotAllowedError') return 'Parley was not allowed to use the camera or microphone.'
  if (name === 'NotFoundError') return 'No camera or microphone was found.'
  if (name === 'NotReadableError') return 'The camera or microphone is in use by another application.'
  return 'The camera or microphone could not be started.'
}
