import { defineStore } from 'pinia'
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
  }),
  getters: {
    /** labels of the devices the live call (or test) uses right now */
    inUse: () => ({ audio: media.local.value?.getAudioTracks()[0]?.label ?? '', video: media.local.value?.getVideoTracks()[0]?.label ?? '' }),
  },
  actions: {
    async start() {
      if (!navigator.mediaDevices?.enumerateDevices) return // no media devices here (a test DOM, an old browser)
      await this.refresh()
      navigator.mediaDevices.addEventListener('devicechange', () => void this.refresh())
      const settings = useAppStore().settings
      if (settings) media.devices = { cameraId: settings.cameraId, microphoneId: settings.microphoneId }
    },
    async refresh() {
      const list = await navigator.mediaDevices.enumerateDevices()
      const of = (kind: MediaDeviceKind) => list.filter((d) => d.kind === kind).map((d, i) => ({ id: d.deviceId, label: d.label || `${kind} ${i + 1}` }))
      this.cameras = of('videoinput')
      this.microphones = of('audioinput')
      this.speakers = of('audiooutput')
      // a chosen device that was unplugged: fall back to the default one
      const app = useAppStore()
      if (app.settings?.microphoneId && !this.microphones.some((d) => d.id === app.settings!.microphoneId)) await this.choose('audio', '')
      if (app.settings?.cameraId && !this.cameras.some((d) => d.id === app.settings!.cameraId)) await this.choose('video', '')
    },
    async choose(kind: 'audio' | 'video' | 'speaker', id: string) {
      const app = useAppStore()
      if (kind === 'speaker') {
        await app.updateSettings({ speakerId: id })
        return
      }
      await app.updateSettings(kind === 'audio' ? { microphoneId: id } : { cameraId: id })
      await media.useDevice(kind, id)
    },
  },
})
