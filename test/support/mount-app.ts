// The whole renderer shell mounted against a real core, called in process: what the person sees from main.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Core } from '../../main/core/core'
import App from '../../renderer/src/App.vue'
import { createApi } from '../../renderer/src/api/client'
import { setApi } from '../../renderer/src/api/current'
import { inProcessBridge } from './in-process-bridge'

/** App.vue with its own active Pinia (the tests' stores are the app's), once its first requests settled. */
export async function mountApp(core: Core) {
  setApi(createApi(inProcessBridge(core)))
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(App, { global: { plugins: [pinia] } })
  await flushPromises()
  return wrapper
}
