// The picture never blacks out when a call changes connection (P2P to conference): a tile whose stream went away
// while new ones arrived stays drawn, over the stage, until a new picture has its first frame (or HANDOVER_MS).
// Someone leaving with nobody arriving takes their tile at once.
import { shallowRef, watch, type Ref } from 'vue'

export const HANDOVER_MS = 1000

export function useHandover<T extends { stream: MediaStream }>(tiles: Ref<T[]>) {
  const leaving = shallowRef<T[]>([])
  let timer: ReturnType<typeof setTimeout> | undefined
  const drawn = () => {
    clearTimeout(timer)
    if (leaving.value.length) leaving.value = []
  }
  watch(tiles, (now, before) => {
    const has = (list: readonly T[], t: T) => list.some((x) => x.stream === t.stream)
    const gone = (before ?? []).filter((t) => !has(now, t))
    const arriving = now.some((t) => !has(before ?? [], t))
    if (!gone.length || !arriving) return
    leaving.value = [...leaving.value.filter((t) => !has(now, t)), ...gone]
    clearTimeout(timer)
    timer = setTimeout(drawn, HANDOVER_MS)
  })
  return { leaving, drawn }
}
