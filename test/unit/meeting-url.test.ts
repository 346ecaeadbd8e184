import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UcwaError } from '../../main/ucwa/errors'
import { joinUrlFor, meetingAddressFromUrl } from '../../main/ucwa/meeting-url'

const URI = 'sip:bmauldin@contoso.com;gruu;opaque=app:conf:focus:id:IB88RLLY'

describe('meeting URL → conference URI (simple URL rule; myOnlineMeetings_ref.md sample, RootURL.md format)', () => {
  it.each([
    ['the page sample', 'https://meet.contoso.com/bmauldin/IB88RLLY'],
    ['a trailing slash', 'https://meet.contoso.com/bmauldin/IB88RLLY/'],
    ['a query (Outlook adds ?sl=)', 'https://meet.contoso.com/bmauldin/IB88RLLY?sl=1'],
    ['a fragment', 'https://meet.contoso.com/bmauldin/IB88RLLY#join'],
    ['upper-case host and organizer', 'HTTPS://MEET.CONTOSO.COM/BMauldin/IB88RLLY'],
    ['spaces around a pasted link', '  https://meet.contoso.com/bmauldin/IB88RLLY \n'],
    ['the default port written out', 'https://meet.contoso.com:443/bmauldin/IB88RLLY'],
    ['the pool-relative form on lync.<domain>', 'https://lync.contoso.com/meet/bmauldin/IB88RLLY'],
    ['the pool-relative form, upper case path', 'https://LYNC.contoso.com/Meet/bmauldin/IB88RLLY/'],
  ])('%s', (_, url) => {
    expect(meetingAddressFromUrl(url)).toEqual({
      onlineMeetingUri: URI,
      organizerUri: 'sip:bmauldin@contoso.com',
      domain: 'contoso.com',
      conferenceId: 'IB88RLLY',
    })
  })

  it('keeps a conference id as written and an organizer with dots', () => {
    expect(meetingAddressFromUrl('https://meet.fabrikam.co.uk/jane.doe/ab12CD').onlineMeetingUri).toBe(
      'sip:jane.doe@fabrikam.co.uk;gruu;opaque=app:conf:focus:id:ab12CD',
    )
  })

  it.each([
    ['not a URL', 'meet.contoso.com/bmauldin/IB88RLLY', 'not a meeting link'],
    ['plain http', 'http://meet.contoso.com/bmauldin/IB88RLLY', 'https://'],
    ['a sip: URI', 'sip:bmauldin@contoso.com', 'https://'],
    ['credentials in the URL', 'https://x:y@meet.contoso.com/bmauldin/IB88RLLY', 'no user name'],
    ['the dial-in page', 'https://dialin.contoso.com/', 'dial-in'],
    ['the dial-in page with a path', 'https://dialin.contoso.com/bmauldin/IB88RLLY', 'dial-in'],
    ['a host that serves no meetings', 'https://www.contoso.com/bmauldin/IB88RLLY', 'does not serve meeting links'],
    ['no meeting id', 'https://meet.contoso.com/bmauldin', 'organizer and a meeting id'],
    ['one part too many', 'https://meet.contoso.com/x/bmauldin/IB88RLLY', 'organizer and a meeting id'],
    ['an empty part', 'https://meet.contoso.com/bmauldin//IB88RLLY', 'empty part'],
    ['a bare domain', 'https://meet.com/bmauldin/IB88RLLY', 'not the address of a meeting server'],
    ['an IP address', 'https://127.0.0.1/meet/bmauldin/IB88RLLY', 'not the address of a meeting server'],
    ['a meeting id with punctuation', 'https://meet.contoso.com/bmauldin/IB88-RLLY', 'not a meeting id'],
    ['an organizer with a semicolon', 'https://meet.contoso.com/bm%3Bgruu/IB88RLLY', 'not an organizer'],
    ['bad percent-encoding', 'https://meet.contoso.com/bm%E0%A4%A/IB88RLLY', 'not encoded correctly'],
  ])('refuses %s with a typed error', (_, url, words) => {
    let caught: unknown
    try {
      meetingAddressFromUrl(url)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(UcwaError)
    expect(caught).toMatchObject({ status: 0, code: 'BadRequest', subcode: 'InvalidMeetingUrl' })
    expect((caught as Error).message).toContain(words)
  })

  it('joinUrlFor is the inverse on the page sample, and refuses what is no conference URI', () => {
    expect(joinUrlFor(URI)).toBe('https://meet.contoso.com/bmauldin/IB88RLLY')
    expect(meetingAddressFromUrl(joinUrlFor(URI)).onlineMeetingUri).toBe(URI)
    expect(() => joinUrlFor('sip:bmauldin@contoso.com')).toThrow(UcwaError)
  })
})

describe('meeting URL: any text a person pastes', () => {
  // as many cases as the other properties (PARLEY_FUZZ_RUNS)
  const runs = Number(process.env.PARLEY_FUZZ_RUNS ?? 300)
  const part = fc.stringMatching(/^[A-Za-z0-9._%+;:@-]{0,12}$/)
  const urlish = fc
    .tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', 'sip:', ''), fc.constantFrom('meet.', 'lync.', 'dialin.', 'www.', ''), fc.domain(), fc.array(part, { maxLength: 4 }), fc.constantFrom('', '/', '?sl=1', '#x'))
    .map(([scheme, sub, host, path, tail]) => `${scheme}${sub}${host}/${path.join('/')}${tail}`)

  it('gives a conference URI in the RootURL.md format, or a typed InvalidMeetingUrl error; nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(urlish, fc.string(), fc.webUrl()), (text) => {
        try {
          const a = meetingAddressFromUrl(text)
          expect(a.onlineMeetingUri).toMatch(/^sip:[a-z0-9._+-]+@[a-z0-9.-]+;gruu;opaque=app:conf:focus:id:[A-Za-z0-9]+$/)
          expect(a.onlineMeetingUri.startsWith(`${a.organizerUri};`)).toBe(true)
        } catch (e) {
          expect(e).toBeInstanceOf(UcwaError)
          expect((e as UcwaError).subcode).toBe('InvalidMeetingUrl')
        }
      }),
      { numRuns: runs },
    )
  })
})
