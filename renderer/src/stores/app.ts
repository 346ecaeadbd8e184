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
      const failed = (e: unknown) => (this.error = e instanceof ApiError ? e.message : 'Parley could not start')
      // settings (theme…) never wait for app.getInfo, which answers once the keychain check is done (≤ 5 s)
      const info = api().invoke('app.getInfo').then((i) => void (this.info = i), failed)
      await api().invoke('settings.get').then((s) => void (this.settings = s), failed)
      await info
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
