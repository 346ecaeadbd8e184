// What a call receives, as the page shows and plays it: one MediaStream per remote track (kept, so a refresh that keeps
// a track keeps its element playing), each known by its receiver, whose contributing sources say whose media it carries.
import type { ShallowRef } from 'vue'
import { newestSource } from './tiles'

export interface CallMedia {
  /** the P2P connection, then the conference one; the call is carried by `conference ?? p2p` */
  p2p?: RTCPeerConnection
  conference?: RTCPeerConnection
  /** the conference connection once it receives audio: the person hears it from then on, while P2P still lingers */
  heard?: RTCPeerConnection
  /** remote video tiles (one per receiving section with a track) */
  remoteVideos: ShallowRef<MediaStream[]>
  remoteAudio: ShallowRef<MediaStream[]>
}

/** whose media a remote stream carries: the conference's media source id (the CSRC) and when its newest packet came */
export interface Heard {
  source: number
  /** ms, RTCRtpContributingSource.timestamp */
  timestamp: number
}

/** one stream per remote track, kept: a refresh that keeps a track keeps its element playing */
const streams = new WeakMap<MediaStreamTrack, MediaStream>()
/** each remote stream's receiver: its packets say whose media it carries now */
const receivers = new WeakMap<MediaStream, RTCRtpReceiver>()
/** each receiver's newest contributing source and when it was heard, kept once its packets stop */
const lastHeard = new WeakMap<RTCRtpReceiver, Heard>()

/** the stream the page plays `track` in: the same one for as long as the track lives */
function streamOf(track: MediaStreamTrack): MediaStream {
  let s = streams.get(track)
  if (!s) streams.set(track, (s = new MediaStream([track])))
  return s
}

/** The tracks `pc` receives of `kind` (sections that receive), each one's stream known by its receiver from now on. */
export function receivedTracks(pc: RTCPeerConnection | undefined, kind: 'audio' | 'video'): MediaStreamTrack[] {
  return (pc?.getTransceivers() ?? [])
    .filter((t) => t.currentDirection !== 'sendonly' && t.currentDirection !== 'inactive' && t.receiver.track?.kind === kind)
    .map((t) => {
      receivers.set(streamOf(t.receiver.track), t.receiver)
      return t.receiver.track
    })
}

/**
 * Whose media a remote stream carries now, from one reading of its receiver's contributing sources (the newest CSRC).
 * Kept after its packets stop (a camera turned off, someone who left): the browser forgets a contributing source 10 s
 * after its last packet, and the slot is still theirs until packets of someone else arrive. Undefined: nobody known yet.
 */
export function heardOn(stream: MediaStream): Heard | undefined {
  const receiver = receivers.get(stream)
  if (!receiver) return undefined
  const list = receiver.getContributingSources()
  const source = newestSource(list)
  if (source !== undefined) lastHeard.set(receiver, { source, timestamp: Math.max(...list.map((s) => s.timestamp)) })
  return lastHeard.get(receiver)
}

/** The call's remote pictures and voices, from the connection that carries it (and the one it is heard on). */
export function refreshRemote(m: CallMedia): void {
  const pc = m.p2p ?? m.conference
  // a connection with one picture (P2P) always shows it (Chromium leaves it muted after a pranswer even once frames
  // flow); a conference connection has a section per slot (also when it was joined by answering an invitation), and a
  // slot nobody feeds is muted and gets no tile
  const all = receivedTracks(pc, 'video')
  const videos = all.length === 1 ? all : all.filter((t) => !t.muted)
  // a conference connection replaced since (rejoined) has not carried audio yet
  const audios = receivedTracks(m.heard && m.heard === m.conference ? m.heard : pc, 'audio')
  m.remoteVideos.value = videos.map(streamOf)
  m.remoteAudio.value = audios.map(streamOf)
}
