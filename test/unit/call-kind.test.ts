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

  it("a multipart/alternative offer (an SfB-dialect pool's, Parley's own included) is a video call when one of its SDP parts sends video", () => {
    const link = (...sdps: string[]) => {
      const { contentType, body } = writeMultipartAlternative(sdps.map((s, i) => ({ contentId: `<part${i}@contoso.test>`, fallback: i === 0, sdp: s })), 'b1')
      return `data:${contentType};base64,${Buffer.from(body).toString('base64')}`
    }
    expect(sendsVideo(link(sdp(audio), sdp(audio, video('sendrecv'))))).toBe(true)
    expect(sendsVideo(link(sdp(audio, video('sendonly'))))).toBe(true)
    expect(sendsVideo(link(sdp(audio), sdp(audio, video('recvonly'))))).toBe(false)
    expect(sendsVideo('data:multipart/alternative;boundary=b1;base64,' + Buffer.from('no parts').toString('base64'))).toBe(false) // unreadable: not a crash
  })
})
