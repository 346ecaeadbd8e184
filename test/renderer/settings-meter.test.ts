// The microphone meter in Settings costs an AudioContext and a 60 fps loop: it runs only while the panel is open (issue #24).
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Core } from '../../main/core/core'
import { media } from '../../renderer/src/media/engine'
import { testCore } from '../support/core'
import { mountApp } from '../support/mount-app'

/** Web Audio as far as the meter uses it (happy-dom has none), counting the contexts opened and closed. */
const audio = { opened: 0, closed: 0 }
class CountingAudioContext {
  constructor() {
    audio.opened++
  }
  createMediaStreamSource() {
    return { connect() {}, disconnect() {} }
  }
  createAnalyser() {
    return { fftSize: 0, getFloatTimeDomainData() {} }
  }
  close() {
    audio.closed++
    return Promise.resolve()
  }
}

let core: Core | undefined
afterEach(async () => {
  media.local.value = null
  vi.unstubAllGlobals()
  await core?.close()
})

describe('settings microphone meter', () => {
  it('opens no AudioContext while Settings is closed, even with the camera and microphone open; opens one when shown and closes it when hidden', async () => {
    vi.stubGlobal('AudioContext', CountingAudioContext)
    core = await testCore()
    const wrapper = await mountApp(core)
    // a call opens the camera and microphone
    media.local.value = { getAudioTracks: () => [{}], getVideoTracks: () => [{}], getTracks: () => [] } as unknown as MediaStream
    await flushPromises()
    expect(audio.opened).toBe(0)
    const details = wrapper.get('details.settings').element as HTMLDetailsElement
    const setOpen = async (open: boolean) => {
      details.open = open
      details.dispatchEvent(new Event('toggle'))
      await flushPromises()
    }
    await setOpen(true)
    expect(audio).toEqual({ opened: 1, closed: 0 })
    await setOpen(false)
    expect(audio).toEqual({ opened: 1, closed: 1 })
    wrapper.unmount()
  })
})
