// Which renderer video section shows which pool source.
import { describe, expect, it } from 'vitest'
import { VideoSlots } from '../../../main/media-bridge/video-slots'

describe('VideoSlots', () => {
  it('gives each new source the next free slot in arrival order, drops one more than fit, and reuses a released slot', () => {
    const s = new VideoSlots(3)
    expect([s.slotOf(100), s.slotOf(200), s.slotOf(100), s.slotOf(300), s.slotOf(400)]).toEqual([0, 1, 0, 2, null])
    s.release(200)
    expect([s.slotOf(400), s.slotOf(200)]).toEqual([1, null])
  })

  it('with one slot (a P2P call) every source goes to it, as an endpoint may change SSRC within its range', () => {
    const s = new VideoSlots(1)
    expect([s.slotOf(1), s.slotOf(2)]).toEqual([0, 0])
  })

  it('retain frees the slots of sources no longer named (a member left the roster): the next source takes one', () => {
    const s = new VideoSlots(2)
    expect([s.slotOf(11), s.slotOf(12), s.slotOf(13)]).toEqual([0, 1, null])
    s.retain([12, 13])
    expect([s.slotOf(13), s.slotOf(12)]).toEqual([0, 1])
  })
})
