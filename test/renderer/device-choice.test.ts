import { describe, expect, it } from 'vitest'
import { deviceToUse, pickerOptions } from '../../renderer/src/media/device-choice'

const mic1 = { id: 'm1', label: 'USB headset' }
const mic2 = { id: 'm2', label: 'Built-in microphone' }

describe('device choice', () => {
  it('uses the chosen device while it is plugged in, the default while it is not', () => {
    expect(deviceToUse('m1', [mic1, mic2])).toBe('m1')
    expect(deviceToUse('m1', [mic2])).toBe('')
    expect(deviceToUse('', [mic1])).toBe('')
  })

  it('lists a saved device that is absent as "(not connected)", by its last known name', () => {
    expect(pickerOptions('m1', [mic2], new Map([['m1', 'USB headset']]), 'microphone')).toEqual([{ id: '', label: 'System default' }, mic2, { id: 'm1', label: 'USB headset (not connected)' }])
    expect(pickerOptions('s9', [], new Map(), 'speaker').at(-1)).toEqual({ id: 's9', label: 'Your chosen speaker (not connected)' })
    expect(pickerOptions('m1', [mic1], new Map(), 'microphone')).toEqual([{ id: '', label: 'System default' }, mic1])
  })
})
