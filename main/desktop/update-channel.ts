// The update channel the person chose in settings (Stable or Beta) is the one the updater reads.
import type { Core } from '../core/core'
import { localDispatch } from '../core/local-dispatch'
import type { Settings } from '../../preload/contract'
import type { UpdateController } from './updater'

/**
 * Applies settings.updateChannel to `updates` now and on every settings.changed event. Resolves once the
 * stored setting is applied (start the first check after that, so a Beta user never checks Stable first);
 * the returned function stops following.
 */
export async function followUpdateChannel(core: Pick<Core, 'dispatch' | 'events'>, updates: Pick<UpdateController, 'setChannel'>): Promise<() => void> {
  const stop = core.events.subscribe((name, payload) => {
    if (name === 'settings.changed') updates.setChannel((payload as Settings).updateChannel)
  })
  const current = await localDispatch(core.dispatch)('settings.get')
  if (current.ok) updates.setChannel(current.value.updateChannel)
  return stop
}
