import { defineStore } from 'pinia'
import type { ServerToConfirm, SessionInfo } from '../../../preload/contract'
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
    /** the person pressed Cancel on this confirmation: the refusal stands and is shown as an error */
    declined: null as ServerToConfirm | null,
    availability: 'Online' as 'Online' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offwork',
  }),
  getters: {
    signedIn: (s) => s.info.state === 'signed-in' || s.info.state === 'reconnecting',
    /** RootURL.md's domain check failed: the server the person must confirm before Parley goes on (null: none, or cancelled) */
    toConfirm: (s): ServerToConfirm | null => {
      const c = s.info.state === 'signed-out' ? s.info.error?.confirm : undefined
      return c && !(s.declined && s.declined.host === c.host && s.declined.sipAddress === c.sipAddress) ? c : null
    },
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
    /** trustServer: Continue on the confirmation for that host (main keeps it for the domain and signs in again) */
    async signIn(form: SignInForm, trustServer?: string) {
      this.formError = null
      this.declined = null
      this.busy = true
      try {
        this.info = await api().invoke('session.signIn', {
          sipAddress: form.sipAddress.trim(),
          password: form.password,
          remember: form.remember,
          ...(form.discoveryUrl.trim() && { discoveryUrl: form.discoveryUrl.trim() }),
          ...(trustServer && { trustServer }),
        })
      } catch (e) {
        this.formError = e instanceof ApiError ? (e.issues?.[0]?.message ?? e.message) : 'Sign-in failed.'
        // what to confirm rides on the session's error; read it now rather than wait for the event
        this.info = await api().invoke('session.get').catch(() => this.info)
      } finally {
        this.busy = false
      }
    },
    /** Cancel on the confirmation: the server stays refused */
    declineServer() {
      this.declined = this.toConfirm
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
