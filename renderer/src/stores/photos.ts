import { defineStore } from 'pinia'
import { api } from '../api/current'

/** People's photos as main hands them over (data: URLs; the page never fetches from the pool). */
export const usePhotosStore = defineStore('photos', {
  state: () => ({ byUri: {} as Record<string, string | null> }),
  actions: {
    start() {
      // someone else may sign in next: their people, their photos
      api().on('session.changed', (s) => s.state === 'signed-out' && (this.byUri = {}))
    },
    async want(uri: string) {
      if (uri in this.byUri) return
      this.byUri[uri] = null // asked once: initials until (unless) it comes
      try {
        this.byUri[uri] = await api().invoke('people.photo', { uri })
      } catch {
        delete this.byUri[uri] // the next view asks again
      }
    },
  },
})
