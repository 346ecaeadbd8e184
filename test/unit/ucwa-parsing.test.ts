import { describe, expect, it } from 'vitest'
import { parseChallenge } from '../../main/ucwa/auth'
import { errorFromBody, userMessage } from '../../main/ucwa/errors'
import { eventsFromJson, eventsFromXml } from '../../main/ucwa/events'
import { fromJson, fromXml, link, prop } from '../../main/ucwa/resource'

describe('resources from JSON and XML read the same', () => {
  it('root sample (root_ref.md) in both forms', () => {
    const json = fromJson({ rel: 'root', _links: { self: { href: '/r' }, user: { href: '/r/user' }, xframe: { href: '/x' } } })
    const xml = fromXml(
      '<?xml version="1.0" encoding="utf-8"?><resource rel="root" href="/r" xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><link rel="user" href="/r/user" /><link rel="xframe" href="/x" /><property name="rel">root</property></resource>',
    )
    expect(xml).toEqual(json)
    expect(link(xml, 'user')).toBe('/r/user')
  })

  it('embedded resources keep their type, booleans and lists convert', () => {
    const xml = fromXml(
      '<resource rel="audioVideoInvitation" href="/i" xmlns="x"><property name="rel">audioVideoInvitation</property><property name="privateLine">False</property><propertyList name="m"><item>a</item><item>b</item></propertyList><resource rel="from" href="/p"><property name="rel">participant</property><property name="name">Joe</property></resource></resource>',
    )
    expect(prop(xml, 'privateLine')).toBe(false)
    expect(prop(xml, 'm')).toEqual(['a', 'b'])
    expect(xml.embedded.from?.[0]).toMatchObject({ rel: 'participant', href: '/p', props: { name: 'Joe' } })
  })
})

describe('event responses', () => {
  it('XML events keep document order across event types (EventChannelDetails.md sample)', () => {
    const page = eventsFromXml(`<?xml version="1.0" encoding="utf-8"?>
<events href="/e?ack=1" xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa">
 <link rel="next" href="/e?ack=2" />
 <sender rel="me" href="/me">
  <updated rel="me" href="/me" />
  <added rel="presence" href="/me/presence" />
  <updated rel="note" href="/me/note" />
  <added rel="location" href="/me/location" />
 </sender>
 <sender rel="communication" href="/c"><completed rel="audioVideoInvitation" href="/i/1" status="Failure"><reason><code>RemoteFailure</code><subcode>Declined</subcode></reason></completed></sender>
</events>`)
    expect(page.next).toBe('/e?ack=2')
    expect(page.events.map((e) => `${e.type}:${e.link.rel}`)).toEqual(['updated:me', 'added:presence', 'updated:note', 'added:location', 'completed:audioVideoInvitation'])
    expect(page.events.at(-1)).toMatchObject({ status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'Declined' } })
  })

  it('JSON events with embedded resources, resync-only responses', () => {
    const page = eventsFromJson({
      _links: { self: { href: '/e?ack=1' }, next: { href: '/e?ack=2' } },
      sender: [{ rel: 'conversation', href: '/c/1', events: [{ link: { rel: 'audioVideo', href: '/c/1/av' }, _embedded: { audioVideo: { rel: 'audioVideo', state: 'Connected', _links: { self: { href: '/c/1/av' } } } }, type: 'updated' }] }],
    })
    expect(page.events[0]).toMatchObject({ type: 'updated', sender: { rel: 'conversation' }, embedded: { props: { state: 'Connected' } } })
    expect(eventsFromJson({ _links: { self: { href: '/e?ack=9' }, resync: { href: '/e?ack=3' } } })).toMatchObject({ resync: '/e?ack=3', events: [] })
  })

  it('an event\'s `in` link (typingParticipants_ref.md): its rel and href in JSON, its href in XML', () => {
    const json = eventsFromJson({
      sender: [{ rel: 'conversation', href: '/c/1', events: [{ link: { rel: 'participant', href: '/c/1/p/bob' }, in: { rel: 'typingParticipants', href: '/c/1/p/typingParticipants' }, type: 'added' }] }],
    })
    expect(json.events[0]!.in).toEqual({ rel: 'typingParticipants', href: '/c/1/p/typingParticipants' })
    const xml = eventsFromXml(`<?xml version="1.0" encoding="utf-8"?><events href="/e?ack=1" xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><sender rel="conversation" href="/c/1"><deleted rel="participant" href="/c/1/p/bob"><link rel="in" href="/c/1/p/typingParticipants" /></deleted><added rel="participant" href="/c/1/p/carol" /></sender></events>`)
    expect(xml.events.map((e) => e.in)).toEqual([{ rel: '', href: '/c/1/p/typingParticipants' }, undefined])
  })
})

describe('errors', () => {
  it('every seed error row and generic error has a message a person can act on', () => {
    const rows: Array<[string, string | undefined]> = [
      ['ServiceFailure', 'CallbackChannelError'],
      ['ServiceFailure', 'InvalidExchangeServerVersion'],
      ['Conflict', 'AlreadyExists'],
      ['Conflict', 'TooManyGroups'],
      ['Conflict', undefined],
      ['Gone', 'CannotRedirect'],
      ['NotFound', 'ApplicationNotFound'],
      ['BadRequest', 'DeserializationFailure'],
      ['EntityTooLarge', undefined],
      ['ExchangeServiceFailure', undefined],
      ['NotFound', 'InactiveApplicationExpired'],
      ['MethodNotAllowed', undefined],
      ['Forbidden', 'MobileApplicationNoLongerAllowed'],
      ['BadRequest', 'ParameterValidationFailure'],
      ['PreconditionFailed', undefined],
      ['PreconditionRequired', undefined],
      ['NotFound', 'ResourceNotFound'],
      ['Timeout', undefined],
      ['Conflict', 'TooManyApplications'],
      ['UnsupportedMediaType', undefined],
      ['BadRequest', 'VersionNotSupported'],
    ]
    const messages = rows.map(([c, s]) => userMessage(c, s))
    expect(messages.filter((m) => m === 'Something went wrong.')).toEqual([])
  })

  it('a body without a subcode ("None") and an unknown body still give a typed error', () => {
    expect(errorFromBody(409, { code: 'Conflict', subcode: 'None' })).toMatchObject({ status: 409, code: 'Conflict', subcode: undefined })
    expect(errorFromBody(502, null)).toMatchObject({ status: 502, code: 'ServiceFailure' })
  })
})

describe('WWW-Authenticate', () => {
  it('finds MsRtcOAuth among several challenges, quoted or not', () => {
    expect(parseChallenge(['Bearer trusted_issuers="", client_id="x"', 'MsRtcOAuth href="https://p/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,password"'])).toEqual({
      href: 'https://p/WebTicket/oauthtoken',
      grantTypes: ['urn:microsoft.rtc:windows', 'password'],
    })
    expect(parseChallenge('MsRtcOAuth href=https://contoso.com/WebTicket/oauthtoken,grant_type="password"')?.href).toBe('https://contoso.com/WebTicket/oauthtoken')
    expect(parseChallenge('Negotiate')).toBeNull()
    expect(parseChallenge('MsRtcOAuth href="not a url"')).toBeNull()
  })
})
