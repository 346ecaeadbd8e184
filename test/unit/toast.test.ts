// Windows incoming-call toasts: what Windows shows, and the Accept/Decline links it hands back to the app.
import { randomUUID } from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { alertFromArgv, incomingCallToastXml, ToastLinks } from '../../main/desktop/toast'

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).toast
/** the toast's two lines of text as Windows reads them (entities decoded) */
const texts = (xml: string): string[] => parse(xml).visual.binding.text.map((t: { '#text': string } | string) => (typeof t === 'string' ? t : t['#text']))

describe('Windows incoming-call toast', () => {
  it('shows caller and subject as text, rings, and has Accept and Decline buttons that open parley://alert links', () => {
    const links = new ToastLinks()
    const id = randomUUID()
    const xml = incomingCallToastXml({ id, title: 'Alice Ahlberg is calling', body: 'Budget review' }, links.issue(id))
    expect(XMLValidator.validate(xml)).toBe(true)
    const toast = parse(xml)
    expect(toast.scenario).toBe('incomingCall')
    expect(texts(xml)).toEqual(['Alice Ahlberg is calling', 'Budget review'])
    expect(toast.audio).toMatchObject({ src: 'ms-winsoundevent:Notification.Looping.Call', loop: 'true' })
    expect(toast.actions.action.map((a: { content: string }) => a.content)).toEqual(['Accept', 'Decline'])
    for (const a of toast.actions.action) expect(a).toMatchObject({ activationType: 'protocol', arguments: expect.stringMatching(/^parley:\/\/alert\/(accept|decline)\?call=/) })
  })

  it('a hostile caller name or subject stays text: the XML is valid and says exactly what was sent', () => {
    const links = new ToastLinks()
    const id = randomUUID()
    const title = `Eve <action content="Accept" arguments="x"/> & "co" 'ltd'\u0007`
    const xml = incomingCallToastXml({ id, title, body: ']]><toast>' }, links.issue(id))
    expect(XMLValidator.validate(xml)).toBe(true)
    const toast = parse(xml)
    expect(toast.actions.action).toHaveLength(2)
    expect(texts(xml)).toEqual([title.replace('\u0007', ''), ']]><toast>'])
    expect(incomingCallToastXml({ id, title: 'x'.repeat(5000), body: '' }, links.issue(id)).length).toBeLessThan(1500)
  })

  it('a button link answers the call it was issued for, once; forged, stale or other links do nothing', () => {
    const links = new ToastLinks()
    const [a, b] = [randomUUID(), randomUUID()]
    const la = links.issue(a)
    const lb = links.issue(b)
    expect(links.take(la.open)).toEqual({ callId: a, action: 'open' })
    expect(alertFromArgv(['C:\\Parley\\Parley.exe', '--', la.accept], links)).toEqual({ callId: a, action: 'accept' })
    expect(links.take(la.decline)).toBeNull() // the call was answered: its links are spent
    // a web page that guesses the shape of the link but not the key
    expect(links.take(lb.decline.replace(/key=[0-9a-f]+/, `key=${'0'.repeat(32)}`))).toBeNull()
    expect(links.take(lb.accept.replace(b, a))).toBeNull() // another call's key
    for (const bad of [`${lb.accept}&x=1`, lb.accept.toUpperCase(), lb.accept.replace('accept', 'transfer'), 'parley://alert/accept', '']) expect(links.take(bad)).toBeNull()
    links.forget(b) // the call stopped ringing
    expect(links.take(lb.decline)).toBeNull()
  })
})
