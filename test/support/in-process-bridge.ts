import type { RawBridge } from '../../preload/api-types'
import type { Core } from '../../main/core/core'

/** The core called directly, for component tests: same dispatch and events as both real transports. */
export function inProcessBridge(core: Core): RawBridge {
  return { invoke: (method, input) => core.dispatch(method, input), subscribe: (listener) => core.events.subscribe(listener) }
}
