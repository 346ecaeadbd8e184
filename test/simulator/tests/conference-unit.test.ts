// The conference unit apart from the pool: a process of its own from source, a thread from the app's bundle.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MediaNegotiationError } from '../conference/mcu'
import { TestPeer } from '../conference/test-peer'
import { MediaUnit } from '../conference/unit'

/** what `npm run build` makes for the app (test/run.sh builds before the tests) */
const BUILT = resolve(import.meta.dirname, '../../../out/main/conference-unit.js')

const msi = (n: number) => ({ audio: n * 100, video: n * 100 + 1 })
const open: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const x of open.splice(0)) await x.close() // in order: conferences before their unit
})

describe('conference unit, run apart from the pool', () => {
  it('the app’s built unit, on a thread, forwards media between members, and its refusals arrive as typed errors', async () => {
    expect(existsSync(BUILT), `${BUILT} is missing: run npm run build`).toBe(true)
    const unit = new MediaUnit(BUILT)
    const conf = unit.open('c1')
    const [a, b] = [new TestPeer('alice'), new TestPeer('bob')]
    open.push(a, b, { close: () => conf.close() }, unit)
    const joined = await conf.joinWithOffer('alice', await a.offer(), msi(1))
    await a.accept(joined.answer)
    const o = await conf.offerTo('bob', msi(2))
    await (await o.complete(await b.answer(o.offer))).connected
    await joined.connected
    for (const p of [a, b]) p.startSending()
    await expect.poll(() => a.count('bob', 'audio') > 10 && b.count('alice', 'video') > 10, { timeout: 8000, interval: 100 }).toBe(true)
    expect(b.sourceOf.get('alice')?.video).toBe(101) // the MSIs crossed into the unit with the join

    const x = new TestPeer('x')
    open.unshift(x)
    const pcmaOnly = (await x.offer(0)).replace(/opus\/48000\/2/g, 'PCMA/8000')
    await expect(unit.open('c2').joinWithOffer('x', pcmaOnly, msi(3))).rejects.toBeInstanceOf(MediaNegotiationError)
  })

  it('a unit process that stops fails what waits on it with a typed error, and the next conference starts it again', async () => {
    const unit = new MediaUnit()
    open.push(unit)
    const pending = unit.open('c1').offerTo('alice', msi(1))
    await unit.close()
    const stopped = await pending.catch((e: unknown) => e)
    expect(stopped).toBeInstanceOf(MediaNegotiationError)
    expect((stopped as Error).message).toMatch(/^The conference unit stopped/)

    const again = await unit.open('c2').offerTo('alice', msi(1))
    expect(again.offer).toMatch(/^m=audio .*\r?\n(.*\r?\n)*m=video /m)
    await again.cancel()
  })
})
