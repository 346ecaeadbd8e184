// Whether a call is a video call, from its offer (call/sdp.ts sendsVideo): what the incoming call says, and what
// call back makes again.
import { describe, expect, it } from 'vitest'
import { writeMultipartAlternative } from '../../main/media-bridge/body'
import { sendsVideo } from '../../main/ucwa/call/sdp'

const sdp = (...media: string[]) => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', ...media].join('\r\n') + '\r\n'
const audio = 'm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv'
const video = (dir?: string, port = 9) => `m=video ${port} UDP/TLS/RTP/SAVPF 96${dir ? `\r\na=${dir}` : ''}`

describe('video or audio call', () => {
  it('a video section that sends makes a video call; one that only receives, is off (port 0) or absent does not', () => {
    expect(sendsVideo(sdp(audio, video('sendrecv')))).toBe(true)
    expect(sendsVideo(sdp(audio, video('sendonly')))).toBe(true)
    expect(sendsVideo(sdp(audio, video()))).toBe(true) // RFC 4566: sendrecv unless said
    expect(sendsVideo(sdp(audio, video('recvonly')))).toBe(false) // the renderer's offer without a camera
    expect(sendsVideo(sdp(audio, video('inactive')))).toBe(false)
    expect(sendsVideo(sdp(audio, video('sendrecv', 0)))).toBe(false)
    expect(sendsVideo(sdp(audio))).toBe(false)
  })

  it("a multipart/alternative offer (sfb2015 dialect) is read by the part Parley takes: Parley's own by its WebRTC part, an SfB client's by its ICE-19 part", () => {
    const link = (...sdps: string[]) => {
      const { contentType, body } = writeMultipartAlternative(sdps.map((s, i) => ({ contentId: `<part${i}@contoso.test>`, fallback: false, sdp: s })), 'b1')
      return `data:${contentType};base64,${Buffer.from(body).toString('base64')}`
    }
    const fp = 'a=fingerprint:sha-256 AA:BB'
    const webrtc = (dir: string) => sdp(`${audio}\r\n${fp}`, `${video(dir)}\r\n${fp}`)
    const sfb = sdp('m=audio 9 RTP/SAVP 9', 'm=video 9 RTP/SAVP 122') // SfB writes no direction: sendrecv
    // Parley's own offer: the renderer's WebRTC part, then the bridge's SfB part (which offers video both ways regardless)
    expect(sendsVideo(link(webrtc('sendrecv'), sfb))).toBe(true)
    expect(sendsVideo(link(webrtc('recvonly'), sfb))).toBe(false) // an audio call
    expect(sendsVideo(link(sfb, sfb))).toBe(true) // an SfB client's video call
    expect(sendsVideo(link(sdp('m=audio 9 RTP/SAVP 9'), sdp('m=audio 9 RTP/SAVP 9')))).toBe(false)
    expect(sendsVideo('data:multipart/alternative;boundary=b1;base64,' + Buffer.from('no parts').toString('base64'))).toBe(false) // unreadable: not a crash
  })
})
