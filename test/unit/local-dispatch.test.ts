// Main's own calls into the dispatcher are typed like the renderer's: inputs checked, outputs typed, same validation.
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { Settings } from '../../preload/contract'
import type { ApiErrorShape } from '../../preload/errors'
import { createDispatcher, type Handlers } from '../../main/core/dispatcher'
import { localDispatch } from '../../main/core/local-dispatch'

describe('local dispatch', () => {
  const hungUp: string[] = []
  const dispatch = createDispatcher({ 'calls.hangUp': ({ callId }: { callId: string }) => (hungUp.push(callId), null) } as unknown as Handlers)
  const d = localDispatch(dispatch)

  it('passes the input through the contract’s validation and returns the typed envelope', async () => {
    await expect(d('calls.hangUp', { callId: 'c1' })).resolves.toEqual({ ok: true, value: null })
    expect(hungUp).toEqual(['c1'])
    // validated like a renderer's call: an empty id is refused before the handler
    await expect(d('calls.hangUp', { callId: '' })).resolves.toMatchObject({ ok: false, error: { code: 'ValidationFailed' } })
    expect(hungUp).toEqual(['c1'])
  })

  it('is typed per method (checked by the type-check of the tests)', () => {
    const misuse = () => {
      // @ts-expect-error calls.hangUp needs a callId
      void d('calls.hangUp', {})
      // @ts-expect-error not a method of the contract
      void d('calls.explode')
    }
    expect(misuse).toBeTypeOf('function')
    expectTypeOf(d('settings.get')).resolves.toEqualTypeOf<{ ok: true; value: Settings } | { ok: false; error: ApiErrorShape }>()
  })
})
