// The shell against the real core, called in process: what the person sees from main.
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { useAppStore } from '../../renderer/src/stores/app'
import { DeferredTokenStore } from '../../main/credentials/deferred-token-store'
import { MemoryTokenStore, type TokenStore } from '../../main/credentials/token-store'
import { testCore } from '../support/core'
import { mountApp } from '../support/mount-app'

let core: Core | undefined
afterEach(async () => core?.close())

async function mountWithCore(options: Parameters<typeof testCore>[0] = {}) {
  core = await testCore({ clockIntervalMs: 20, ...options })
  return mountApp(core)
}

describe('app shell', () => {
  it('shows the version from main, the keychain warning and a ticking clock', async () => {
    const wrapper = await mountWithCore()
    expect(wrapper.get('[data-testid=version]').text()).toContain('Version 9.8.7-test')
    expect(wrapper.get('[data-testid=keychain-warning]').text()).toContain('No keychain in this test')
    const store = useAppStore()
    const first = store.now
    await expect.poll(() => store.now !== null && store.now !== first).toBe(true)
  })

  it('while the keychain is still being checked the page is up with its settings; the keychain warning follows the check', async () => {
    let opened: (store: TokenStore) => void = () => {}
    const wrapper = await mountWithCore({ tokenStore: new DeferredTokenStore(new Promise((done) => (opened = done))) })
    const store = useAppStore()
    expect(store.settings).not.toBeNull()
    expect(store.info).toBeNull()
    expect(wrapper.find('[data-testid=keychain-warning]').exists()).toBe(false)
    opened(new MemoryTokenStore('The system keychain is not available (it did not answer within 5 s); you will be asked to sign in again next time.'))
    await flushPromises()
    expect(wrapper.get('[data-testid=keychain-warning]').text()).toContain('it did not answer within 5 s')
  })

  it('changing the theme saves it in main and applies it to the page', async () => {
    const wrapper = await mountWithCore()
    await wrapper.get('select#theme').setValue('dark')
    await flushPromises()
    expect(await core!.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { theme: 'dark' } })
    expect(document.documentElement.dataset.theme).toBe('dark')
  })

  it('shows main’s typed error when a setting is refused', async () => {
    const wrapper = await mountWithCore()
    await useAppStore().updateSettings({ theme: 'purple' as never })
    await flushPromises()
    expect(wrapper.get('[role=alert]').text()).toBe('Invalid input for settings.update')
  })

  it('the demo pool lists its accounts to try, and with none says so rather than showing an empty table', async () => {
    const alice = { sip: 'alice@contoso.test', name: 'Alice Ahlberg', password: 'alice-pass' }
    let wrapper = await mountWithCore({ demo: { discoveryUrl: 'http://127.0.0.1:1/', users: [alice] } })
    expect(wrapper.get('[data-testid=demo-pool] tbody').text()).toBe('Alice Ahlbergalice@contoso.testalice-pass')
    wrapper.unmount()
    await core!.close()
    wrapper = await mountWithCore({ demo: { discoveryUrl: 'http://127.0.0.1:1/', users: [] } })
    expect(wrapper.find('[data-testid=demo-pool] table').exists()).toBe(false)
    expect(wrapper.get('[data-testid=demo-pool]').text()).toContain('It has no accounts to try.')
  })

  it('PARLEY_DISCOVERY_URL shows as the sign-in’s discovery URL', async () => {
    const wrapper = await mountWithCore({ discoveryUrl: 'https://lyncdiscover.contoso.com/' })
    expect((wrapper.get('input#discovery').element as HTMLInputElement).value).toBe('https://lyncdiscover.contoso.com/')
  })

  it('the keychain warning can be dismissed, and Keep me signed in says it lasts only for this session without one', async () => {
    const wrapper = await mountWithCore()
    expect(wrapper.get('[data-testid=remember-note]').text()).toBe('Only until Parley closes: without a keychain your sign-in is not kept on this computer.')
    await wrapper.get('button[aria-label="Dismiss the keychain warning"]').trigger('click')
    expect(wrapper.find('[data-testid=keychain-warning]').exists()).toBe(false)
    wrapper.unmount()
    await core!.close()
    // with a keychain: no warning, no note
    const keychain: TokenStore = { kind: 'keychain', get: async () => null, set: async () => {}, delete: async () => false }
    const withKeychain = await mountWithCore({ tokenStore: keychain })
    expect(withKeychain.find('[data-testid=keychain-warning]').exists()).toBe(false)
    expect(withKeychain.find('[data-testid=remember-note]').exists()).toBe(false)
  })

  it('browser mode says once that the tray, start at login, updates and diagnostics are the installed app’s, and offers none of them', async () => {
    const wrapper = await mountWithCore()
    expect(wrapper.get('[data-testid=browser-mode-note]').text()).toContain('part of the installed app')
    expect(wrapper.findAll('button').map((b) => b.text())).not.toContain('Check for updates')
    expect(wrapper.find('#alert-mode').exists()).toBe(false)
  })

  it('a sign-in failure shows, in the form, the step and the server that failed', async () => {
    const wrapper = await mountWithCore()
    await wrapper.get('#sip').setValue('alice@contoso.test')
    await wrapper.get('#password').setValue('alice-pass')
    await wrapper.get('#discovery').setValue('http://127.0.0.1:9/autodiscover/autodiscoverservice.svc/root')
    await wrapper.get('form').trigger('submit')
    await expect.poll(async () => (await flushPromises(), wrapper.find('[data-testid=signin-error]').exists()), { timeout: 15_000 }).toBe(true)
    expect(wrapper.get('[data-testid=signin-error]').text()).toBe('Finding your server: 127.0.0.1 did not answer. Check your connection and the sign-in address.')
  }, 20_000)
})
