// Windows incoming-call toasts: what Windows shows, and the Accept/Decline links it hands back to the app.
import { randomUUID } from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { libnotifyBody, notificationText, plainText } from '../../main/desktop/notification-text'
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

/** a freedesktop body as a server with "body-markup" reads it: its elements (none allowed) and its text, entities decoded */
const readMarkup = (body: string) => {
  expect(XMLValidator.validate(`<body>${body}</body>`)).toBe(true)
  const parsed = new XMLParser({ preserveOrder: true, trimValues: false, processEntities: true }).parse(`<body>${body}</body>`)[0].body as Record<string, unknown>[]
  return { elements: parsed.flatMap((n) => Object.keys(n)).filter((k) => k !== '#text'), text: parsed.map((n) => String(n['#text'] ?? '')).join('') }
}
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

describe('notification text from the pool’s data, per platform', () => {
  const hostile = '<b>Bob</b> & <a href="x">click</a> <img src="file:///etc/passwd"/>'

  it('Linux (libnotify body markup): a hostile name or subject is shown as the text it is, no element survives', () => {
    for (const body of [hostile, ']]>', `"quoted" 'single'`, '&amp; &lt;b&gt; &#60;', '<![CDATA[x]]>', '<!-- x -->']) {
      const n = notificationText({ title: 'x', body }, 'linux')
      expect(readMarkup(n.body)).toEqual({ elements: [], text: body })
    }
    // the summary is plain text by the spec: not escaped (it would show "&amp;")
    expect(notificationText({ title: `${hostile} is calling`, body: '' }, 'linux').title).toBe(`${hostile} is calling`)
    expect(notificationText({ title: 't', body: '<i>x</i>' }, 'freebsd').body).toBe('&lt;i&gt;x&lt;/i&gt;')
  })

  it('macOS and Windows (Electron’s own toast): plain text, shown as sent', () => {
    for (const platform of ['darwin', 'win32'] as const) expect(notificationText({ title: `${hostile} is calling`, body: hostile }, platform)).toEqual({ title: `${hostile} is calling`, body: hostile })
  })

  it('control characters, bidi overrides and lone surrogates are dropped; line breaks become spaces', () => {
    expect(plainText('Eve\u0007\u001b[31m\u0000 Ltd\u007f\u0085')).toBe('Eve[31m Ltd')
    expect(plainText('invoice\u202egnp.exe\u2066x\u2069')).toBe('invoicegnp.exex') // no right-to-left trick
    expect(plainText('Bob\r\nBuilder\tCo\u2028x')).toBe('Bob Builder Co x')
    expect(plainText('a\ud800b\udc00c😀')).toBe('abc😀')
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const n = notificationText({ title: 'Mallory\u0000\u202e is calling', body: 'x\u0007<y>' }, platform)
      expect(n.title).toBe('Mallory is calling')
      expect(n.body).toBe(platform === 'linux' ? 'x&lt;y&gt;' : 'x<y>')
    }
  })

  it('a very long name is cut to 200 characters with an ellipsis, never inside a character', () => {
    expect(plainText('x'.repeat(5000))).toBe(`${'x'.repeat(199)}…`)
    const emoji = plainText('😀'.repeat(5000))
    expect([...emoji]).toHaveLength(200)
    expect(emoji).not.toMatch(loneSurrogate)
    expect(plainText('x'.repeat(200))).toBe('x'.repeat(200))
    // escaping comes after the cut: no entity is cut in half
    const body = libnotifyBody('&'.repeat(5000))
    expect(readMarkup(body)).toEqual({ elements: [], text: `${'&'.repeat(199)}…` })
  })

  it('the Windows incoming-call toast: same cleaning, XML-escaped, valid with any caller', () => {
    const links = new ToastLinks()
    const id = randomUUID()
    const title = `${hostile}\u202e\ud800 ]]> is calling`
    const xml = incomingCallToastXml({ id, title, body: '😀'.repeat(300) }, links.issue(id))
    expect(XMLValidator.validate(xml)).toBe(true)
    const [shownTitle, shownBody] = texts(xml)
    expect(shownTitle).toBe(`${hostile} ]]> is calling`)
    expect([...shownBody!]).toHaveLength(200)
    expect(xml).not.toMatch(loneSurrogate)
    expect(parse(xml).actions.action).toHaveLength(2)
  })
})
