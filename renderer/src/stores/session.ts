import { defineStore } from 'pinia'
import type { SessionInfo } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'
import { api } from '../api/current'

export interface SignInForm {
  sipAddress: string
  password: string
  remember: boolean
  discoveryUrl: string
}

export const useSessionStore = defineStore('session', {
  state: () => ({
    info: { state: 'signed-out', user: null, error: null } as SessionInfo,
    /** the message to show under the form: the pool's, or what the contract refused */
    formError: null as string | null,
    busy: false,
    availability: 'Online' as 'Online' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offwork',
  }),
  getters: {
    signedIn: (s) => s.info.state === 'signed-in' || s.info.state === 'reconnecting',
    progress(s): string | null {
      return (
        {
          discovering: 'Finding your server…',
          authenticating: 'Signing in…',
          'creating-application': 'Setting up your session…',
          'signing-out': 'Signing out…',
        } as Record<string, string>
      )[s.info.state] ?? null
    },
  },
  actions: {
    async start() {
      api().on('session.changed', (info) => (this.info = info))
      // the tray can change it too
      api().on('presence.changed', ({ availability }) => {
        if (availability !== 'Offline') this.availability = availability
      })
      this.info = await api().invoke('session.get')
    },
    async signIn(form: SignInForm) {
      this.formError = null
      this.busy = true
      try {
        this.info = await api().invoke('session.signIn', {
          sipAddress: form.sipAddress.trim(),
          password: form.password,
          remember: form.remember,
          ...(form.discoveryUrl.trim() && { discoveryUrl: form.discoveryUrl.trim() }),
        })
      } catch (e) {
        this.formError = e instanceof ApiError ? (e.issues?.[0]?.message ?? e.message) : 'Sign-in failed.'
      } finally {
        this.busy = false
      }
    },
    async setAvailability(availability: 'Online' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offwork') {
      try {
        await api().invoke('presence.set', { availability })
        this.availability = availability
      } catch (e) {
        this.formError = e instanceof ApiError ? e.message : 'Presence could not be changed.'
      }
    },
    async userActive() {
      await api().invoke('session.userActive').catch(() => {})
    },
    async signOut() {
      this.info = await api().invoke('session.signOut')
    },
  },
})
