import { defineStore } from 'pinia'
import type { Contact } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'
import { api } from '../api/current'

export const useContactsStore = defineStore('contacts', {
  state: () => ({
    contacts: [] as Contact[],
    results: [] as Contact[],
    query: '',
    error: null as string | null,
  }),
  actions: {
    /** presence changes pushed by main (a subscription, not polling) */
    start() {
      api().on('people.presence', ({ uri, availability }) => {
        for (const list of [this.contacts, this.results]) for (const c of list) if (c.uri === uri) c.availability = availability
      })
      // signed out: these were that session's people. Shown again before the next session lists them, their photos
      // would be asked for before main knows where they are, and remembered as none
      api().on('session.changed', (s) => {
        if (s.state !== 'signed-out') return
        this.contacts = []
        this.results = []
        this.query = ''
      })
    },
    async load() {
      try {
        this.contacts = await api().invoke('people.contacts')
        this.error = null
      } catch (e) {
        this.error = e instanceof ApiError ? e.message : 'Contacts could not be loaded.'
      }
    },
    async search(query: string) {
      this.query = query
      if (!query.trim()) {
        this.results = []
        return
      }
      try {
        this.results = await api().invoke('people.search', { query })
        this.error = null
      } catch (e) {
        this.error = e instanceof ApiError ? e.message : 'Search failed.'
      }
    },
  },
})
