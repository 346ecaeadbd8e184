// The embedded demo pool (no server configured) speaks what a real SfB 2015 pool speaks, unless PARLEY_DEMO_MEDIA says webrtc.
import { afterEach, describe, expect, it } from 'vitest'
import { demoMediaFrom, startDemoPool, type RunningDemo } from '../../main/demo'

const running: RunningDemo[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.close()))
})

describe('demo pool media dialect', () => {
  it('PARLEY_DEMO_MEDIA: unset or blank is sfb2015; sfb2015 and webrtc as given; anything else a clear error', () => {
    expect([demoMediaFrom({}), demoMediaFrom({ PARLEY_DEMO_MEDIA: ' ' }), demoMediaFrom({ PARLEY_DEMO_MEDIA: 'sfb2015' }), demoMediaFrom({ PARLEY_DEMO_MEDIA: 'webrtc' })]).toEqual(['sfb2015', 'sfb2015', 'sfb2015', 'webrtc'])
    expect(() => demoMediaFrom({ PARLEY_DEMO_MEDIA: 'WebRTC!' })).toThrow('PARLEY_DEMO_MEDIA is "WebRTC!": the demo pool speaks "sfb2015" (the default) or "webrtc".')
  })

  it('the pool started for the app speaks sfb2015 by default, webrtc when asked', { timeout: 60_000 }, async () => {
    const [byDefault, webrtc] = await Promise.all([startDemoPool(), startDemoPool(undefined, 'webrtc')])
    running.push(byDefault, webrtc)
    expect([byDefault.media, webrtc.media]).toEqual(['sfb2015', 'webrtc'])
  })
})
