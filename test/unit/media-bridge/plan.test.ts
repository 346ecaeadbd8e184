// What the bridge takes of an SfB offer, and what it refuses with CallDeclineReason_ref.md / ReNegotiationDeclineReason_ref.md.
import { describe, expect, it } from 'vitest'
import { planBridge, type BridgePlan } from '../../../main/media-bridge/plan'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { editLines, multipartParts, sampleSdp } from './samples'

const offer = () => sampleSdp('p2p-offer-multipart.txt')
const plan = (sdp: string) => planBridge(readSfbSdp(sdp))
/** the audio m= line keeping only the payload types given (and their rtpmap/fmtp) */
function onlyCodecs(sdp: string, kind: 'audio' | 'video', keep: number[]): string {
  let section = ''
  return editLines(sdp, (l) => {
    if (l.startsWith('m=')) {
      section = l.slice(2, 7)
      if (section === kind) return `${l.split(' ').slice(0, 3).join(' ')} ${keep.join(' ')}`
    }
    const pt = /^a=(?:rtpmap|fmtp):(\d+)/.exec(l)?.[1]
    return section === kind && pt && !keep.includes(Number(pt)) ? null : l
  })
}
function refusal(sdp: string): MediaRefusal {
  const p = plan(sdp)
  if (!(p instanceof MediaRefusal)) throw new Error('the offer was taken')
  return p
}

describe('planning the bridge', () => {
  it('takes the sample offer’s audio and video, with the bridgeable codecs in its order and the key without MKI', () => {
    const p = plan(offer()) as BridgePlan
    expect(p.notices).toEqual([])
    expect(p.audio.codecs.map((c) => c.payloadType)).toEqual([9, 0, 8, 13, 101])
    expect(p.video!.codecs.map((c) => c.payloadType)).toEqual([122])
    expect([p.audio.key.tag, p.audio.key.mki, p.video!.key.tag]).toEqual([3, undefined, 3])
    expect([p.audio.index, p.video!.index, p.audio.ice]).toEqual([0, 1, { ufrag: 'Qm7x', pwd: 'T4nV9cR2wL8kP3yH6bM1qZ5f' }])
    // the IPv6 candidates are left out until the bridge speaks IPv6
    expect(p.audio.candidates.map((c) => c.address)).not.toContain('2001:db8::10')
    expect(p.audio.candidates).toHaveLength(6)
  })

  it('takes a key with MKI when the offer has no other', () => {
    const p = plan(editLines(offer(), (l) => (l.startsWith('a=crypto:3') ? null : l))) as BridgePlan
    expect([p.audio.key.tag, p.audio.key.mki]).toEqual([2, { value: 1, length: 1 }])
  })

  it('takes the AVMCU answer, and the audio-only answer without video and without a notice', () => {
    expect((plan(sampleSdp('avmcu-answer.txt')) as BridgePlan).video?.codecs.map((c) => c.bridge)).toEqual(['H264'])
    const audioOnly = plan(sampleSdp('client-answer-audio-only.txt')) as BridgePlan
    expect([audioOnly.video, audioOnly.notices, audioOnly.audio.codecs.map((c) => c.bridge)]).toEqual([null, [], ['G722', 'PCMU', 'PCMA', 'telephone-event']])
  })

  it('refuses SILK and RTAudio only: CodecMismatch, dismissed as UnsupportedMedia', () => {
    const r = refusal(onlyCodecs(offer(), 'audio', [104, 114, 103, 115, 13, 101]))
    expect([r.declineReason, r.dismissReason, r.status, r.code, r.subcode]).toEqual(['CodecMismatch', 'UnsupportedMedia', 0, 'LocalFailure', 'MediaNegotiationFailure'])
    expect(r.message).toBe('The other side offered no audio codec Parley can use (it offered SILK, x-msrta, SILK, x-msrta, CN, telephone-event; Parley needs G.722, PCMU or PCMA).')
  })

  it('drops RTVideo-only video with a notice and goes on with audio', () => {
    const p = plan(onlyCodecs(offer(), 'video', [121])) as BridgePlan
    expect(p.video).toBeNull()
    expect(p.audio.codecs).toHaveLength(5)
    expect(p.notices).toEqual([{ kind: 'videoDropped', message: "Neither of you can see the other: the other side's video uses an older Microsoft format (RTVideo) that Parley cannot show or send. The call goes on with audio only." }])
  })

  it('drops video with no codec at all (only FEC) with a notice naming why', () => {
    const p = plan(onlyCodecs(offer(), 'video', [123])) as BridgePlan
    expect(p.video).toBeNull()
    expect(p.notices[0]!.message).toMatch(/^Video cannot be shown: The other side offered no video codec Parley can use \(it offered x-ulpfecuc; Parley needs H\.264\)\./)
  })

  it('refuses the ICE 6 fallback part alone: UnsupportedMedia', () => {
    const r = refusal(multipartParts()[0]!.sdp)
    expect([r.declineReason, r.dismissReason, r.subcode]).toEqual(['UnsupportedMedia', 'UnsupportedMedia', 'MediaNegotiationFailure'])
    expect(r.message).toMatch(/ICE version 6/)
  })

  it('refuses encryption rejected, and no SDES key and no fingerprint: EncryptionMismatch', () => {
    const rejected = editLines(offer(), (l) => (l.startsWith('a=crypto') || l.startsWith('a=cryptoscale') ? null : l.startsWith('m=audio') ? [l.replace('RTP/SAVP', 'RTP/AVP'), 'a=encryption:rejected'] : l))
    const noKey = editLines(offer(), (l) => (l.startsWith('a=crypto') || l.startsWith('a=cryptoscale') ? null : l))
    for (const sdp of [rejected, noKey]) {
      const r = refusal(sdp)
      expect([r.declineReason, r.dismissReason, r.subcode]).toEqual(['EncryptionMismatch', 'EncryptionMismatch', 'MediaEncryptionRequired'])
    }
    const gcm = editLines(noKey, (l) => (l.startsWith('m=audio') ? [l, 'a=crypto:1 AEAD_AES_256_GCM inline:W8dP1cX5nR2vL7kT3yH9bM4qZ6fJ0sG1aE5uN8oI'] : l))
    expect([refusal(gcm).declineReason, refusal(gcm).subcode]).toEqual(['EncryptionMismatch', 'MediaEncryptionNotSupported'])
  })

  it('refuses an offer reachable only over IPv6: IPv6NotSupported', () => {
    const sdp = editLines(offer(), (l) => (l.startsWith('a=candidate') ? null : l))
    const r = refusal(sdp)
    expect([r.declineReason, r.dismissReason, r.subcode]).toEqual(['IPv6NotSupported', 'IPv6NotSupported', 'IPv6NotSupported'])
  })

  it('refuses an offer with no candidate: MediaConnectivityFailure, dismissed as UnsupportedMedia', () => {
    const r = refusal(editLines(offer(), (l) => (/^a=(x-)?candidate/.test(l) ? null : l)))
    expect([r.declineReason, r.dismissReason]).toEqual(['MediaConnectivityFailure', 'UnsupportedMedia'])
  })

  it('refuses an offer without audio', () => {
    const r = refusal(editLines(offer(), (l) => l.replace(/^m=audio \d+/, 'm=audio 0')))
    expect(r.declineReason).toBe('UnsupportedMedia')
  })
})
