// Conversations with instant messages (issue #21): every chat main reports, the one open in the chat panel, unread
// counts, and in browser mode a Web Notification for a new message while the page is not focused.
import { defineStore } from 'pinia'
import { messageAlert, newIncoming, quietFor } from '../../../preload/chat-alerts'
import type { ChatSnapshot, PastConversation } from '../../../preload/contract'
import { api } from '../api/current'
import { useAppStore } from './app'
import { useCallsStore } from './calls'
import { run } from './run'
import { useSessionStore } from './session'

/** the recent conversations listed on the home view */
export const RECENT_CHATS = 20
/** setIsTyping at most this often from one page (main throttles what reaches the pool too) */
const TYPING_EVERY_MS = 1_000

/** a chat being written to someone before it exists (the first message starts it) */
export interface Draft {
  uri: string
  name: string
}

const known = new Map<string, Set<string>>()
/** conference chats already shown once on their own (a person who closes one is not shown it again) */
const shownOnce = new Set<string>()
let typedAt = 0

export const useChatsStore = defineStore('chats', {
  state: () => ({
    chats: {} as Record<string, ChatSnapshot>,
    /** the chat shown in the panel */
    openId: null as string | null,
    draft: null as Draft | null,
    error: null as string | null,
    /** the account's last conversations, this session's and earlier ones (kept with the call history) */
    past: [] as PastConversation[],
  }),
  getters: {
    open: (s) => (s.openId ? (s.chats[s.openId] ?? null) : null),
    /** newest activity first, at most RECENT_CHATS */
    recent: (s) => Object.values(s.chats).sort((a, b) => b.lastActivity - a.lastActivity).slice(0, RECENT_CHATS),
    unread: (s) => Object.values(s.chats).reduce((n, c) => n + c.unread, 0),
    /** conversations of earlier sessions (none of this session's chats), newest first */
    earlier: (s) => s.past.filter((p) => !s.chats[p.id]).slice(0, RECENT_CHATS),
  },
  actions: {
    async start() {
      api().on('chats.changed', (c) => this.apply(c))
      api().on('chats.past', (past) => (this.past = past))
      api().on('chats.open', ({ chatId }) => this.show(chatId)) // its notification was clicked (desktop app)
      api().on('session.changed', (s) => {
        if (s.state !== 'signed-out') return
        this.$reset() // the next person to sign in sees none of these
        known.clear()
        shownOnce.clear()
      })
      for (const c of await api().invoke('chats.list')) this.apply(c, false)
      this.past = await api().invoke('chats.recent').catch(() => this.past)
      window.addEventListener('focus', () => void this.read())
    },
    apply(c: ChatSnapshot, alert = true) {
      this.chats[c.id] = c
      if (!known.has(c.id)) known.set(c.id, new Set())
      // a conference's chat, joined as soon as someone starts it, takes the panel beside the call once (as the
      // conference window's IM does in Skype for Business), unless the person is writing a first message elsewhere
      if (c.conference && c.callId && c.state === 'connected' && !shownOnce.has(c.id)) {
        shownOnce.add(c.id)
        if (!this.draft) this.openId = c.id
      }
      const fresh = newIncoming(c, known.get(c.id)!)
      if (c.id === this.openId && c.unread && document.hasFocus()) void this.read()
      if (alert && fresh.length) this.notify(c)
    },
    /** browser mode: Electron's main shows its own notification (main/desktop/message-alerts.ts) */
    notify(c: ChatSnapshot) {
      const last = c.messages.filter((m) => m.direction === 'incoming').at(-1)
      if (!last || useAppStore().info?.host !== 'browser' || document.hasFocus() || quietFor(useSessionStore().availability)) return
      if (typeof Notification === 'undefined' || Notification.permission === 'denied') return
      const a = messageAlert(c, last)
      const show = () => {
        const n = new Notification(a.title, { body: a.body, tag: a.id })
        n.onclick = () => (window.focus(), this.show(c.id))
      }
      // the browser asks the person once (as for an incoming call's notification, media/alerts.ts)
      if (Notification.permission === 'granted') show()
      else void Notification.requestPermission().then((p) => p === 'granted' && show())
    },
    show(id: string) {
      this.openId = id
      this.draft = null
      void this.read()
    },
    /** the newest chat with unread messages (from the top bar, whatever view is shown) */
    showUnread() {
      const c = this.recent.find((x) => x.unread)
      if (c) this.show(c.id)
    },
    /** a chat with this person: the live one if there is one, else a draft whose first message starts it */
    chatWith(uri: string, name: string) {
      const going = this.recent.find((c) => c.remote.uri === uri && c.state !== 'ended' && !c.conference)
      if (going) return this.show(going.id)
      this.openId = null
      this.draft = { uri, name }
    },
    hide() {
      this.openId = null
      this.draft = null
    },
    async read() {
      const c = this.open
      if (c?.unread) await run(this, () => api().invoke('chats.markRead', { chatId: c.id }))
    },
    async send(text: string) {
      const draft = this.draft
      if (draft) {
        const started = await run(this, () => api().invoke('chats.start', { to: draft.uri, text }))
        if (!started) return
        this.apply(started, false)
        return this.show(started.id)
      }
      const c = this.open
      if (c) await run(this, () => api().invoke('chats.send', { chatId: c.id, text }))
    },
    async typing() {
      const c = this.open
      if (!c || c.state !== 'connected' || Date.now() - typedAt < TYPING_EVERY_MS) return
      typedAt = Date.now()
      await api().invoke('chats.typing', { chatId: c.id }).catch(() => {}) // an indicator: nothing to tell the person
    },
    async retry(messageId: string) {
      const c = this.open
      if (c) await run(this, () => api().invoke('chats.retry', { chatId: c.id, messageId }))
    },
    async accept(id: string) {
      this.show(id)
      await run(this, () => api().invoke('chats.accept', { chatId: id }))
    },
    async decline(id: string) {
      await run(this, () => api().invoke('chats.decline', { chatId: id }))
    },
    /** stopMessaging: the chat ends, it stays listed */
    async end(id: string) {
      await run(this, () => api().invoke('chats.close', { chatId: id }))
    },
    /** the chat of a call (addMessaging when it has none) */
    async forCall(callId: string) {
      const c = await run(this, () => api().invoke('chats.addToCall', { callId }))
      if (!c) return
      this.apply(c, false)
      this.show(c.id)
    },
    /** audio/video from the chat: the call view opens with the chat beside it */
    async call(id: string, video: boolean) {
      const c = this.chats[id]
      if (c) await useCallsStore().call(c.remote.uri, video, () => api().invoke('chats.call', { chatId: id }))
    },
  },
})
