import { defineStore } from 'pinia'
import { watchEffect } from 'vue'
import type { CallHistory } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'
import { api } from '../api/current'

/** The signed-in account's call history, kept by main in the data folder; missed calls count until seen. */
export const useHistoryStore = defineStore('history', {
  state: () => ({ history: { entries: [], unseenMissed: 0 } as CallHistory, error: null as string | null }),
  actions: {
    async start() {
      api().on('history.changed', (h) => (this.history = h))
      // the missed-call count reaches the taskbar and the tab as the window's title, in a call too
      watchEffect(() => (document.title = this.history.unseenMissed ? `(${this.history.unseenMissed}) Parley` : 'Parley'))
      this.history = await api().invoke('history.get')
    },
    async markSeen() {
      try {
        this.history = await api().invoke('history.markSeen')
      } catch (e) {
        this.error = e instanceof ApiError ? e.message : 'That did not work.'
      }
    },
  },
})
