import { defineStore } from 'pinia'
import { watch } from 'vue'
import type { CallSnapshot } from '../../../preload/contract'
import { api } from '../api/current'
import { media } from '../media/engine'
import { isIncomingWindow } from '../window-role'
import { useAppStore } from './app'
import { run } from './run'

const live = (c: CallSnapshot) => c.state !== 'ended'

interface CallsState {
  calls: Record<string, CallSnapshot>
  recent: CallSnapshot[]
  error: string | null
}

function apply(store: CallsState, c: CallSnapshot): void {
  if (c.state === 'ended') {
    delete store.calls[c.id]
    store.recent = [c, ...store.recent.filter((r) => r.id !== c.id)].slice(0, 20)
  } else store.calls[c.id] = c
}

/** The call starts as the person chose (video or not) and as settings say (start muted, camera off). */
function prepare(video: boolean): void {
  const settings = useAppStore().settings
  media.prepare({ video, microphoneOn: !settings?.startWithMicrophoneOff, cameraOn: !settings?.startWithCameraOff })
}

export const useCallsStore = defineStore('calls', {
  state: () => ({
    calls: {} as Record<string, CallSnapshot>,
    recent: [] as CallSnapshot[],
    error: null as string | null,
    /** the mute state last sent to main: a quick mute-unmute must not be lost to a late event */
    reportedMuted: '',
    /** call waiting: the call the person answered or switched to last (the others are on hold) */
    front: null as string | null,
  }),
  getters: {
    incoming: (s) => Object.values(s.calls).find((c) => c.state === 'ringing') ?? null,
    /** every call answered or placed and not over: more than one means call waiting */
    answered: (s) => Object.values(s.calls).filter((c) => live(c) && c.state !== 'ringing'),
    /** the call in front: the one chosen last while it lasts, else one not on hold (answered elsewhere: the notification), else any */
    active(): CallSnapshot | null {
      const chosen = this.front ? this.answered.find((c) => c.id === this.front) : undefined
      return chosen ?? this.answered.find((c) => !c.held) ?? this.answered[0] ?? null
    },
  },
  actions: {
    async start() {
      api().on('calls.changed', (c) => apply(this, c))
      for (const c of await api().invoke('calls.list')) apply(this, c)
      // main hears of mute and camera off (tray, conference roster); the media owner (main window) reports them
      if (!isIncomingWindow()) watch(() => [this.active?.id, this.active?.state, media.state.microphoneOn, media.state.cameraOn], () => void this.reportMuted())
    },
    async reportMuted() {
      const c = this.active
      if (!c || c.state === 'ending') return
      const audio = !media.state.microphoneOn
      const video = !media.state.cameraOn
      const key = `${c.id} ${audio} ${video}`
      if (key === this.reportedMuted) return
      this.reportedMuted = key
      await run(this, () =>
        api()
          .invoke('calls.setMuted', { callId: c.id, audio, video })
          .catch((e) => {
            this.reportedMuted = '' // the next change tries again
            throw e
          }),
      )
    },
    /** `start`: how the call is made (chats.call from a chat); calls.start by default */
    async call(to: string, video: boolean, start = () => api().invoke('calls.start', { to })) {
      await run(
        this,
        async () => {
          prepare(video)
          const started = await start()
          if (!this.calls[started.id]) apply(this, started) // events may already have moved it on
        },
        'The call could not start.',
      )
    },
    /** Answers; a call I am in goes on hold first (main holds it at the pool) and this one comes to the front. */
    async accept(id: string, video: boolean) {
      prepare(video)
      this.front = id
      await run(this, () => api().invoke('calls.accept', { callId: id }))
    },
    /** Call waiting: brings a call to the front; main holds the others and resumes this one. */
    async switchTo(id: string) {
      this.front = id
      await run(this, () => api().invoke('calls.switchTo', { callId: id }))
    },
    async decline(id: string) {
      await run(this, () => api().invoke('calls.decline', { callId: id }))
    },
    async hangUp(id: string) {
      await run(this, () => api().invoke('calls.hangUp', { callId: id }))
    },
    async change(id: string, change: 'hold' | 'resume' | 'video-off' | 'video-on') {
      await run(this, () => api().invoke('calls.change', { callId: id, change }))
    },
    async addParticipant(id: string, to: string, name?: string) {
      await run(this, () => api().invoke('calls.addParticipant', { callId: id, to, name }))
    },
  },
})
