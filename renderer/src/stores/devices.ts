import { defineStore } from 'pinia'
import { watch } from 'vue'
import { deviceToUse, pickerOptions } from '../media/device-choice'
import { media } from '../media/engine'
import { useAppStore } from './app'

export interface Device {
  id: string
  label: string
}

export const useDevicesStore = defineStore('devices', {
  state: () => ({
    cameras: [] as Device[],
    microphones: [] as Device[],
    speakers: [] as Device[],
    /** labels of every device seen since the start, so an unplugged one keeps its name */
    labels: new Map<string, string>(),
    /** the device each choice resolves to now ('' = the system default) */
    using: { audio: '', video: '', speaker: '' },
  }),
  getters: {
    /** labels of the devices the live call (or test) uses right now */
    inUse: () => ({ audio: media.local.value?.getAudioTracks()[0]?.label ?? '', video: media.local.value?.getVideoTracks()[0]?.label ?? '' }),
    /** what each picker lists, a saved device that is absent shown as "(not connected)" */
    options(s) {
      const settings = useAppStore().settings
      return {
        video: pickerOptions(settings?.cameraId ?? '', s.cameras, s.labels, 'camera'),
        audio: pickerOptions(settings?.microphoneId ?? '', s.microphones, s.labels, 'microphone'),
        speaker: pickerOptions(settings?.speakerId ?? '', s.speakers, s.labels, 'speaker'),
      }
    },
  },
  actions: {
    async start() {
      if (!navigator.mediaDevices?.enumerateDevices) return // no media devices here (a test DOM, an old browser)
      await this.refresh()
      navigator.mediaDevices.addEventListener('devicechange', () => void this.refresh())
      // the settings arrive (or change in another window): the devices follow them
      watch(
        () => useAppStore().settings,
        () => void this.follow(),
      )
    },
    async refresh() {
      const list = await navigator.mediaDevices.enumerateDevices()
      const of = (kind: MediaDeviceKind) => list.filter((d) => d.kind === kind).map((d, i) => ({ id: d.deviceId, label: d.label || `${kind} ${i + 1}` }))
      this.cameras = of('videoinput')
      this.microphones = of('audioinput')
      this.speakers = of('audiooutput')
      for (const d of list) if (d.label) this.labels.set(d.deviceId, d.label)
      await this.follow()
    },
    /**
     * Uses each chosen device while it is plugged in and the system default while it is not, without touching the
     * choice: when the device comes back, Parley switches back to it.
     */
    async follow() {
      const settings = useAppStore().settings
      const next = {
        audio: deviceToUse(settings?.microphoneId ?? '', this.microphones),
        video: deviceToUse(settings?.cameraId ?? '', this.cameras),
        speaker: deviceToUse(settings?.speakerId ?? '', this.speakers),
      }
      const before = this.using
      this.using = next
      if (next.audio !== before.audio || next.audio !== media.devices.microphoneId) await media.useDevice('audio', next.audio).catch(() => {})
      if (next.video !== before.video || next.video !== media.devices.cameraId) await media.useDevice('video', next.video).catch(() => {})
    },
    async choose(kind: 'audio' | 'video' | 'speaker', id: string) {
      const app = useAppStore()
      await app.updateSettings(kind === 'speaker' ? { speakerId: id } : kind === 'audio' ? { microphoneId: id } : { cameraId: id })
      await this.follow()
    },
  },
})
