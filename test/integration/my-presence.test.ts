// My own presence as the core tells the page and the tray: what I chose, and Available again after signing out.
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'

let sim: Simulator | undefined
let core: Core | undefined
afterEach(async () => {
  await core?.close()
  await sim?.close()
})

describe('my presence', () => {
  it('presence.changed follows my choice, and a sign-out puts it back to Available (the next sign-in makes me available)', async () => {
    sim = await startSimulator()
    core = await testCore()
    const heard: string[] = []
    core.events.subscribe((n, p) => n === 'presence.changed' && heard.push((p as { availability: string }).availability))
    const form = { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url }
    expect(await core.dispatch('session.signIn', form)).toMatchObject({ ok: true })
    expect(await core.dispatch('presence.set', { availability: 'DoNotDisturb' })).toMatchObject({ ok: true })
    expect(core.availability()).toBe('DoNotDisturb')
    expect(await core.dispatch('session.signOut', undefined)).toMatchObject({ ok: true })
    expect(heard).toEqual(['DoNotDisturb', 'Online'])
    expect(core.availability()).toBe('Online')
  }, 30_000)
})
