import { describe, expect, it } from 'vitest'
import { IncomingCallAlerts, type AlertMode, type Notifier } from '../../main/desktop/incoming-alerts'
import type { CallSnapshot } from '../../preload/contract'

function setup(o: { actions?: boolean; mode?: AlertMode; dnd?: boolean } = {}) {
  const log: string[] = []
  let handlers: { accept(): void; decline(): void; open(): void } | null = null
  const notifier: Notifier = {
    supportsActions: o.actions ?? true,
    show: (a, on) => {
      handlers = on
      log.push(`notify:${a.title}`)
    },
    close: (id) => log.push(`close:${id}`),
    info: (a) => log.push(`info:${a.title}`),
  }
  const alerts = new IncomingCallAlerts({
    notifier,
    window: { show: (a) => log.push(`window:${a.title}`), close: (id) => log.push(`window-close:${id}`) },
    mode: () => o.mode ?? 'auto',
    doNotDisturb: () => o.dnd ?? false,
    accept: (id) => log.push(`accept:${id}`),
    decline: (id) => log.push(`decline:${id}`),
    focus: () => log.push('focus'),
  })
  return { alerts, log, handlers: () => handlers! }
}

const call = (state: CallSnapshot['state'], endReason?: CallSnapshot['endReason']): CallSnapshot => ({
  id: 'c1',
  state,
  direction: 'incoming',
  remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' },
  subject: 'Budget',
  participants: [],
  conference: false,
  startedAt: 0,
  ...(endReason && { endReason }),
})

describe('incoming-call alerts', () => {
  it('shown once with actions; Accept and Decline reach the call; answered → closed', () => {
    const { alerts, log, handlers } = setup()
    alerts.update(call('ringing'))
    alerts.update(call('ringing'))
    expect(log).toEqual(['notify:Bob Brennan is calling'])
    handlers().accept()
    handlers().decline()
    handlers().open()
    alerts.update(call('answering'))
    expect(log).toEqual(['notify:Bob Brennan is calling', 'accept:c1', 'decline:c1', 'focus', 'close:c1'])
  })

  it('cancelled elsewhere or missed: closed, then a missed-call notification', () => {
    for (const subcode of ['Missed', 'Canceled']) {
      const { alerts, log } = setup()
      alerts.update(call('ringing'))
      alerts.update(call('ended', { code: 'RemoteFailure', subcode, message: '' }))
      expect(log).toEqual(['notify:Bob Brennan is calling', 'close:c1', 'info:Missed call from Bob Brennan'])
    }
    const { alerts, log } = setup()
    alerts.update(call('ringing'))
    alerts.update(call('ended', { code: 'RemoteFailure', subcode: 'ConnectedElsewhere', message: '' }))
    expect(log).toEqual(['notify:Bob Brennan is calling', 'close:c1'])
  })

  it('no notification actions (many Linux desktops) or chosen in settings: the call window instead', () => {
    const a = setup({ actions: false })
    a.alerts.update(call('ringing'))
    a.alerts.update(call('ended', { code: 'Informational', subcode: 'Declined', message: '' }))
    expect(a.log).toEqual(['window:Bob Brennan is calling', 'window-close:c1'])
    const b = setup({ actions: true, mode: 'window' })
    b.alerts.update(call('ringing'))
    expect(b.log).toEqual(['window:Bob Brennan is calling'])
  })

  it('do not disturb: nothing pops up', () => {
    const { alerts, log } = setup({ dnd: true })
    alerts.update(call('ringing'))
    alerts.update(call('ended', { code: 'RemoteFailure', subcode: 'Missed', message: '' }))
    expect(log).toEqual([])
  })
})
