// Which device to use for a choice the person made: the chosen one while it is plugged in, the system default
// while it is not (the choice itself is kept, so Parley goes back to it when it returns).

export interface DeviceLike {
  id: string
  label: string
}

/** the device id to use now: `chosen` if it is among `present`, else '' (the system default) */
export function deviceToUse(chosen: string, present: readonly DeviceLike[]): string {
  return chosen && present.some((d) => d.id === chosen) ? chosen : ''
}

/**
 * The options a device picker lists: the system default, the devices present, and a chosen device that is absent
 * as "<its last known label> (not connected)" rather than an empty box.
 */
export function pickerOptions(chosen: string, present: readonly DeviceLike[], knownLabels: ReadonlyMap<string, string>, kind: string): DeviceLike[] {
  const options = [{ id: '', label: 'System default' }, ...present]
  if (chosen && !present.some((d) => d.id === chosen)) options.push({ id: chosen, label: `${knownLabels.get(chosen) ?? `Your chosen ${kind}`} (not connected)` })
  return options
}
