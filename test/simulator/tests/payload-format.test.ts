// Dates as PayloadFormat.md gives them, wherever a resource goes: a response body or an event's embedded resource.
import { describe, expect, it } from 'vitest'
import { eventsToJson, eventsToXml, resourceToJson, resourceToXml, UcwaDate, ucwaJson, type Res } from '../http/resource'

// conversation_ref.md's sample: "created" : "\/Date(1474932024822)\/", in XML 2016-09-26T16:20:24.8356669-07:00
const ms = 1474932024822
const conversation: Res = { rel: 'conversation', href: '/c/1', props: { created: new UcwaDate(ms), subject: '/Date(5)/ is a subject' } }

describe('dates in both payload formats', () => {
  it('a resource: \\/Date(ms)\\/ in JSON text, ISO 8601 in XML, the same instant', () => {
    const text = ucwaJson(resourceToJson(conversation))
    expect(text).toContain('"created":"\\/Date(1474932024822)\\/"')
    expect(JSON.parse(text).created).toBe('/Date(1474932024822)/')
    expect(JSON.parse(text).subject).toBe('/Date(5)/ is a subject') // a string that merely contains the form stays as it is
    const xml = resourceToXml(conversation)
    expect(xml).toContain('<property name="created">2016-09-26T23:20:24.822Z</property>')
    expect(Date.parse('2016-09-26T23:20:24.822Z')).toBe(ms)
  })

  it('an event that embeds the resource carries the same forms', () => {
    const body = { self: '/e?ack=1', next: '/e?ack=2', senders: [{ rel: 'communication', href: '/comm', events: [{ type: 'added' as const, link: { rel: 'conversation', href: '/c/1' }, embedded: conversation }] }] }
    expect(ucwaJson(eventsToJson(body))).toContain('"created":"\\/Date(1474932024822)\\/"')
    expect(eventsToXml(body)).toContain('<property name="created">2016-09-26T23:20:24.822Z</property>')
  })
})
