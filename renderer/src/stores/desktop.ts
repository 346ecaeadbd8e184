// The desktop-facing bits of the renderer: updates, sip: links waiting for a yes, commands from the tray.
import { defineStore } from 'pinia'
import type { EventPayload } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'
import { api } from '../api/current'
import { media } from '../media/engine'
import { useCallsStore } from './calls'
import { useMeetingsStore } from './meetings'

export const useDesktopStore = defineStore('desktop', {
  state: () => ({
    update: null as EventPayload<'update.status'> | null,
    /** a link asked to call this address: shown for confirmation */
    pendingCall: null as string | null,
    /** a link asked to join this meeting: shown for confirmation (signed out: it fills the guest form) */
    pendingMeeting: null as string | null,
    message: null as string | null,
  }),
  actions: {
    start() {
      api().on('update.status', (s) => (this.update = s))
      api().on('deeplink.call', ({ to }) => (this.pendingCall = to))
      api().on('deeplink.meeting', ({ url }) => (this.pendingMeeting = url))
      api().on('app.command', ({ command }) => {
        if (command === 'toggle-mute') media.setMicrophone(!media.state.microphoneOn)
      })
    },
    async confirmCall(yes: boolean) {
      const to = this.pendingCall
      this.pendingCall = null
      if (yes && to) await useCallsStore().call(to, true)
    },
    async confirmMeeting(yes: boolean) {
      const url = this.pendingMeeting
      this.pendingMeeting = null
      if (yes && url) await useMeetingsStore().join(url)
    },
    async checkForUpdates() {
      try {
        this.update = await api().invoke('update.check')
      } catch (e) {
        this.message = e instanceof ApiError ? e.message : 'Could not check for updates.'
      }
    },
    async restart() {
      try {
        await api().invoke('update.restart')
      } catch (e) {
        this.message = e instanceof ApiError ? e.message : 'Could not restart.'
      }
    },
    async exportDiagnostics() {
      try {
        this.message = `Saved to ${(await api().invoke('diagnostics.export')).path}`
      } catch (e) {
        this.message = e instanceof ApiError ? e.message : 'Could not export diagnostics.'
      }
    },
  },
})
