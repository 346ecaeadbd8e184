// The renderer's per-call queue of media steps: in order per call, closed and removed with its call.
import { describe, expect, it } from 'vitest'
import { CallClosed, CallQueues } from '../../renderer/src/media/call-queues'

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('per-call media queues', () => {
  it('runs one call’s steps one after another, a failed step not stopping the next', async () => {
    const q = new CallQueues()
    const order: string[] = []
    let release!: () => void
    const first = q.run('a', () => new Promise<void>((r) => (release = r)).then(() => void order.push('a1')))
    const second = q.run('a', async () => void order.push('a2'))
    const other = q.run('b', async () => void order.push('b1'))
    const failing = q.run('a', () => Promise.reject(new Error('no camera')))
    const after = q.run('a', async () => void order.push('a3'))
    await other
    expect(order).toEqual(['b1'])
    release()
    await Promise.all([first, second, after])
    await expect(failing).rejects.toThrow('no camera')
    expect(order).toEqual(['b1', 'a1', 'a2', 'a3'])
  })

  it('closing a call removes its queue and refuses its waiting and later steps', async () => {
    const q = new CallQueues()
    let release!: () => void
    const running = q.run('a', () => new Promise<string>((r) => (release = () => r('done'))))
    let ran = false
    const waiting = q.run('a', async () => void (ran = true))
    q.run('b', async () => {})
    await tick() // the first step is under way
    expect(q.size).toBe(2)
    q.close('a')
    expect(q.size).toBe(1)
    release()
    await expect(running).resolves.toBe('done') // a step under way finishes
    await expect(waiting).rejects.toBeInstanceOf(CallClosed)
    // a late answer for the ended call: refused, and no queue comes back for it
    const late = q.run('a', async () => void (ran = true))
    await expect(late).rejects.toMatchObject({ code: 'CallClosed', callId: 'a' })
    await tick()
    expect(ran).toBe(false)
    expect(q.size).toBe(1)
  })
})
