// Message bodies: data: URLs as pools write them, and HTML sanitised to what a chat may show (DOMPurify over jsdom).
import { describe, expect, it, vi } from 'vitest'
import { ChatLog } from '../../main/ucwa/chat-log'
import type { UcwaEvent } from '../../main/ucwa/events'
import { decodeDataUrl, messageContent } from '../../main/ucwa/message-body'
import { linkify } from '../../main/ucwa/messaging'

describe('message bodies', () => {
  it('reads data: URLs as ReceiveAnIM.md shows them, base64 too; anything else is null', () => {
    expect(decodeDataUrl('data:text/plain;charset=utf-8,Hi+Tosh%0d%0a', 'text/plain')).toBe('Hi Tosh\r\n')
    expect(decodeDataUrl(`data:text/html;base64,${Buffer.from('<b>x</b>').toString('base64')}`, 'text/html')).toBe('<b>x</b>')
    expect(decodeDataUrl('data:text/html,<b>x</b>', 'text/plain')).toBeNull()
    expect(decodeDataUrl('data:text/plain,%E0%A4%A', 'text/plain')).toBeNull() // bad percent-encoding
    expect(decodeDataUrl('https://example.com/x', 'text/plain')).toBeNull()
  })

  it('keeps formatting and web or mail links; drops scripts, handlers, styles, images, forms and other schemes', async () => {
    const html =
      '<p><b>bold</b> <i>it</i></p><a href="mailto:bob@contoso.test">mail</a><a href="https://ok.example/" target="_blank" onclick="x()">web</a>' +
      '<a href="data:text/html,<script>1</script>">data</a><a href="vbscript:x">vb</a><img src="https://t.example/p.png"><form action="https://x"><input name=a></form>' +
      '<span style="position:fixed">s</span><svg><script>alert(1)</script></svg><iframe src="https://x"></iframe>'
    expect(await messageContent({ html })).toEqual({
      format: 'html',
      html: '<p><b>bold</b> <i>it</i></p><a href="mailto:bob@contoso.test">mail</a><a href="https://ok.example/">web</a><a>data</a><a>vb</a><span>s</span>',
      text: 'bold itmailwebdatavbs',
    })
    expect(await messageContent({ plain: 'p', html: '<b>h</b>' })).toEqual({ format: 'html', html: '<b>h</b>', text: 'p' })
    expect(await messageContent({ plain: '<b>not html</b>' })).toEqual({ format: 'text', text: '<b>not html</b>' })
  })

  it('my text as HTML: escaped, web addresses made links', () => {
    expect(linkify('<x> & "q" http://a.example/?a=1&b=2 end')).toBe('&lt;x&gt; &amp; &quot;q&quot; <a href="http://a.example/?a=1&amp;b=2">http://a.example/?a=1&amp;b=2</a> end')
  })

  it('a message resource a pool got wrong still becomes a message (no body, a bad date, a bad data: URL), never a crash', async () => {
    const log = new ChatLog(() => {})
    const event = (props: Record<string, string>, links: Record<string, string>): UcwaEvent => ({
      type: 'completed',
      sender: { rel: 'conversation', href: '/c/1' },
      link: { rel: 'message', href: `/c/1/messaging/messages/${Object.keys(links).length}` },
      embedded: { rel: 'message', href: '/m', props, links: Object.fromEntries(Object.entries(links).map(([k, href]) => [k, [{ rel: k, href }]])), embedded: {} },
    })
    await log.onEvent(event({ direction: 'Incoming', timeStamp: 'yesterday' }, {}), async () => ({ name: 'B', uri: 'sip:b@x' }))
    await log.onEvent(event({ direction: 'Incoming' }, { plainMessage: 'data:text/plain,%ZZ' }), async () => ({ name: 'B', uri: 'sip:b@x' }))
    expect(log.list().map((m) => [m.direction, m.content, m.status])).toEqual([
      ['incoming', { format: 'text', text: '' }, 'delivered'],
      ['incoming', { format: 'text', text: '' }, 'delivered'],
    ])
    expect(log.list().every((m) => Number.isFinite(m.time))).toBe(true)
  })
})

describe('where HTML cannot be sanitised', () => {
  it('it is shown as text: the plain body, else the HTML source', async () => {
    vi.resetModules()
    vi.doMock('jsdom', () => {
      throw new Error('no DOM here')
    })
    const { messageContent: content } = await import('../../main/ucwa/message-body')
    expect(await content({ html: '<img src=x onerror=alert(1)>' })).toEqual({ format: 'text', text: '<img src=x onerror=alert(1)>' })
    expect(await content({ plain: 'hello', html: '<b>hello</b>' })).toEqual({ format: 'text', text: 'hello' })
    vi.doUnmock('jsdom')
  })
})
