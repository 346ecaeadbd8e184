// The conference unit apart from the pool: a process of its own from source, a thread from the app's bundle.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MediaNegotiationError } from '../conference/mcu'
import { TestPeer } from '../conference/test-peer'
import { MediaUnit, type Request } from '../conference/unit'
import type { UnitPort } from '../conference/unit-port'

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

  it('a member whose checks end as the unit replies (both messages in one read of the pipe, as a loaded pool reads them) is still told: joined, or failed with the unit’s reason', async () => {
    // the unit's side: each reply to `complete` comes in the same tick as the settlement of the key it names
    const port = (outcome: { error?: { name: string; message: string } }): UnitPort => {
      let listener: (m: unknown) => void = () => undefined
      return {
        post: (m) => {
          const r = m as Request
          const reply = r.op === 'offer' ? { offer: 'v=0\r\n', handle: 1 } : r.op === 'complete' ? { connected: 7 } : undefined
          process.nextTick(() => {
            listener({ seq: r.seq, ok: true, value: reply })
            if (r.op === 'complete') listener({ connected: 7, ...outcome })
          })
        },
        onMessage: (f) => void (listener = f),
        onStop: () => undefined,
        hold: () => undefined,
        stop: async () => undefined,
      }
    }
    const settles = (p: Promise<void>) => Promise.race([p.then(() => 'joined', (e: Error) => `${e.constructor.name}: ${e.message}`), new Promise((r) => setTimeout(() => r('never told'), 2000))])
    const joins = await new MediaUnit(undefined, () => port({})).open('c1').offerTo('carol', msi(1))
    expect(await settles((await joins.complete('v=0\r\n')).connected)).toBe('joined')
    const fails = await new MediaUnit(undefined, () => port({ error: { name: 'MediaNegotiationError', message: 'ICE failed' } })).open('c1').offerTo('carol', msi(1))
    expect(await settles((await fails.complete('v=0\r\n')).connected)).toBe('MediaNegotiationError: ICE failed')
  })
})
