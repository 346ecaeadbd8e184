// Online meetings as the page shows them (main's MeetingSnapshot): Meet now, join by link, a guest's join, the lobby,
// a leader's actions; and a leader's mute reaching my microphone (main says I am muted: the track goes off too).
import { defineStore } from 'pinia'
import { watch } from 'vue'
import type { MeetingInvitationSnapshot, MeetingSnapshot } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'
import { api } from '../api/current'
import { media } from '../media/engine'
import { isIncomingWindow } from '../window-role'
import { useAppStore } from './app'
import { useCallsStore } from './calls'
import { useSessionStore } from './session'

type Action = 'admit' | 'reject' | 'promote' | 'demote' | 'remove' | 'mute'
const over = new Set<MeetingSnapshot['state']>(['denied', 'failed', 'removed', 'left'])

/** a meeting starts with camera and microphone, as settings say (start muted, camera off) */
function prepare(): void {
  const settings = useAppStore().settings
  media.prepare({ video: true, microphoneOn: !settings?.startWithMicrophoneOff, cameraOn: !settings?.startWithCameraOff })
}

export const useMeetingsStore = defineStore('meetings', {
  state: () => ({
    meetings: {} as Record<string, MeetingSnapshot>,
    error: null as string | null,
    busy: false,
    /** the last meeting that ended without my leaving it (rejected, removed, refused): what I am told */
    ended: null as MeetingSnapshot | null,
    /** a leader muted my microphone in the current meeting */
    mutedByLeader: false,
    /** this session is a guest's, for one meeting: the page shows nothing of the directory */
    guestSession: false,
    /** the guest form's link and name, kept while its view comes and goes (a rejected guest may try again) */
    guestForm: { url: '', name: '' },
    /** invitations into a meeting ringing here (someone in it added me), oldest first */
    invitations: [] as MeetingInvitationSnapshot[],
  }),
  getters: {
    /** the meeting I am joining or waiting in the lobby of (no audio/video yet) */
    waiting: (s) => Object.values(s.meetings).find((m) => m.state === 'joining' || m.state === 'lobby' || (m.state === 'in' && !m.callId)) ?? null,
    forCall: (s) => (callId: string | undefined) => (callId ? (Object.values(s.meetings).find((m) => m.callId === callId && !over.has(m.state)) ?? null) : null),
  },
  actions: {
    async start() {
      api().on('meetings.changed', (m) => this.apply(m))
      api().on('meetings.invitation', (i) => this.applyInvitation(i))
      for (const m of await api().invoke('meetings.list')) this.apply(m)
      // a guest's session ends with its meeting (main signs it out)
      watch(
        () => useSessionStore().info.state,
        (state) => state === 'signed-out' && (this.guestSession = false),
      )
      if (isIncomingWindow()) return
      // main says I am muted and my microphone is still on: a leader muted me (muteAudio by a leader)
      const calls = useCallsStore()
      watch(
        () => calls.active?.audioMuted,
        (muted, before) => {
          if (!muted || before || !media.state.microphoneOn || !this.forCall(calls.active?.id)) return
          media.setMicrophone(false)
          this.mutedByLeader = true
        },
      )
      watch(
        () => media.state.microphoneOn,
        (on) => on && (this.mutedByLeader = false),
      )
    },
    apply(m: MeetingSnapshot) {
      if (over.has(m.state)) {
        delete this.meetings[m.id]
        if (m.state !== 'left') this.ended = m
        this.mutedByLeader = false
      } else this.meetings[m.id] = m
    },
    /** a ringing invitation shows until it is answered or withdrawn */
    applyInvitation(i: MeetingInvitationSnapshot) {
      this.invitations = this.invitations.filter((x) => x.id !== i.id)
      if (i.state === 'ringing') this.invitations.push(i)
    },
    /** accepting joins the meeting with camera and microphone as a join by link does */
    async acceptInvitation(invitationId: string) {
      prepare()
      this.ended = null
      this.invitations = this.invitations.filter((x) => x.id !== invitationId)
      await this.run(async () => this.apply(await api().invoke('meetings.acceptInvitation', { invitationId })), 'Parley could not join that meeting.')
    },
    async declineInvitation(invitationId: string) {
      this.invitations = this.invitations.filter((x) => x.id !== invitationId)
      await this.run(() => api().invoke('meetings.declineInvitation', { invitationId }), 'That did not work.')
    },
    /** one request at a time from the page: busy meanwhile, its failure as the person reads it */
    async run(fn: () => Promise<unknown>, failed: string): Promise<boolean> {
      this.error = null
      this.busy = true
      try {
        await fn()
        return true
      } catch (e) {
        this.error = e instanceof ApiError ? (e.issues?.[0]?.message ?? e.message) : failed
        return false
      } finally {
        this.busy = false
      }
    },
    async meetNow() {
      prepare()
      this.ended = null
      await this.run(async () => this.apply(await api().invoke('meetings.meetNow')), 'The meeting could not start.')
    },
    async join(url: string) {
      prepare()
      this.ended = null
      await this.run(async () => this.apply(await api().invoke('meetings.join', { url })), 'Parley could not join that meeting.')
    },
    async joinAsGuest(url: string, name: string) {
      prepare()
      this.ended = null
      this.guestSession = true
      const joined = await this.run(async () => this.apply(await api().invoke('meetings.joinAsGuest', { url, name })), 'Parley could not join that meeting.')
      if (!joined) this.guestSession = false
    },
    async act(meetingId: string, uri: string, action: Action) {
      await this.run(() => api().invoke('meetings.act', { meetingId, uri, action }), 'That did not work.')
    },
    async muteEveryone(meetingId: string) {
      await this.run(() => api().invoke('meetings.muteEveryone', { meetingId }), 'That did not work.')
    },
    async allowUnmute(meetingId: string) {
      await this.run(() => api().invoke('meetings.allowUnmute', { meetingId }), 'That did not work.')
    },
    /** invites someone into a meeting I am in without its call (the call view's Add people does it with one) */
    async invite(meetingId: string, to: string) {
      return this.run(() => api().invoke('meetings.invite', { meetingId, to }), 'The invitation could not be sent.')
    },
    async leave(meetingId: string) {
      await this.run(() => api().invoke('meetings.leave', { meetingId }), 'That did not work.')
    },
  },
})
