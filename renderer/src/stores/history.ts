import { defineStore } from 'pinia'
import type { CallHistory } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'
import { api } from '../api/current'

/** The signed-in account's call history, kept by main in the data folder; missed calls count until seen. */
export const useHistoryStore = defineStore('history', {
  state: () => ({ history: { entries: [], unseenMissed: 0 } as CallHistory, error: null as string | null }),
  actions: {
    async start() {
      api().on('history.changed', (h) => (this.history = h))
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
