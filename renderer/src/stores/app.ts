import { defineStore } from 'pinia'
import type { AppInfo, Settings } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'
import { api } from '../api/current'

export const useAppStore = defineStore('app', {
  state: () => ({
    info: null as AppInfo | null,
    settings: null as Settings | null,
    now: null as number | null,
    error: null as string | null,
  }),
  getters: {
    effectiveTheme(state): 'light' | 'dark' {
      const theme = state.settings?.theme ?? 'system'
      if (theme !== 'system') return theme
      return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
    },
  },
  actions: {
    async start() {
      api().on('clock.tick', ({ now }) => (this.now = now))
      api().on('settings.changed', (settings) => (this.settings = settings))
      try {
        const [info, settings] = await Promise.all([api().invoke('app.getInfo'), api().invoke('settings.get')])
        this.info = info
        this.settings = settings
      } catch (e) {
        this.error = e instanceof ApiError ? e.message : 'Parley could not start'
      }
    },
    async updateSettings(patch: Partial<Settings>) {
      try {
        this.settings = await api().invoke('settings.update', patch)
        this.error = null
      } catch (e) {
        this.error = e instanceof ApiError ? e.message : 'Settings were not saved'
      }
    },
  },
})
