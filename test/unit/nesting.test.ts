// Depth bounds on pool input: a page nested 100,000 deep is refused at once, typed, never a stack overflow;
// real documents pass.
import { describe, expect, it } from 'vitest'
import { UcwaError } from '../../main/ucwa/errors'
import { UcwaHttp, type HttpResult } from '../../main/ucwa/http'
import { checkXmlNesting, MAX_NESTING } from '../../main/ucwa/nesting'
import { fromJson, fromXmlNode } from '../../main/ucwa/resource'

const http = new UcwaHttp({ token: () => null, allowedOrigins: () => new Set() })
const res = (body: string, type: string): HttpResult => ({ status: 200, headers: { 'content-type': type }, body, url: 'http://pool.test/e' })
const DEEP = 100_000

describe('nesting guard', () => {
  it('100,000-deep pages and resources, JSON and XML: BadResponse, or a page that links nowhere; fast, no stack overflow', () => {
    const deepResource = `${'{"_embedded":{"x":'.repeat(DEEP)}{}${'}}'.repeat(DEEP)}`
    const deepEvent = `{"_links":{"next":{"href":"/e?ack=2"}},"sender":[{"rel":"me","href":"/me","events":[{"type":"added","link":{"rel":"x","href":"/x"},"_embedded":{"x":${deepResource}}}]}]}`
    const deepPage = `${'{"sender":['.repeat(DEEP)}${']}'.repeat(DEEP)}`
    const deepXml = `<?xml version="1.0"?>${'<resource rel="x" href="/x">'.repeat(DEEP)}${'</resource>'.repeat(DEEP)}`
    const started = performance.now()
    const bad = (parse: () => unknown) => {
      try {
        parse()
      } catch (e) {
        return e
      }
      return null
    }
    for (const parse of [
      () => http.parse(res(deepResource, 'application/json')),
      () => http.parseEvents(res(deepEvent, 'application/json')),
      () => http.parse(res(deepXml, 'application/xml')),
      () => http.parseEvents(res(deepXml, 'application/xml')),
    ]) {
      const error = bad(parse)
      expect(error).toBeInstanceOf(UcwaError)
      expect(error).toMatchObject({ code: 'BadResponse' })
    }
    // parses to a page with no way on: the channel loop counts it as unreadable (ucwa-malformed-events.test.ts)
    expect(http.parseEvents(res(deepPage, 'application/json'))).toEqual({ events: [] })
    expect(() => checkXmlNesting(deepXml)).toThrow(/XML nested deeper than 64/)
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('XML: only elements count; attributes, comments and CDATA do not, and empty elements close', () => {
    const xml = `<?xml version="1.0"?><!-- <a><a><a><a><a> --><r t="a>b"><e/><e/><e/><e/><e/><![CDATA[<a><a><a><a>]]><s><t/></s></r>`
    expect(() => checkXmlNesting(xml, 3)).not.toThrow()
    expect(() => checkXmlNesting('<a><b><c><d/></c></b></a>', 3)).toThrow()
    expect(() => checkXmlNesting('<a><b><c><d/></c></b></a>', 4)).not.toThrow()
    expect(MAX_NESTING).toBe(64)
  })

  it('the recursive walkers bound their own depth: a deep object is a TypeError, not a stack overflow', () => {
    let json: Record<string, unknown> = { _links: { self: { href: '/leaf' } } }
    let xml: Record<string, unknown> = { '@_rel': 'x', '@_href': '/leaf' }
    for (let i = 0; i < DEEP; i++) {
      json = { _embedded: { x: json } }
      xml = { '@_rel': 'x', '@_href': `/r${i}`, resource: [xml] }
    }
    expect(() => fromJson(json)).toThrow(new TypeError('Resources embedded too deep'))
    expect(() => fromXmlNode(xml)).toThrow(new TypeError('Resources embedded too deep'))
    // a real depth passes
    let shallow: Record<string, unknown> = { _links: { self: { href: '/leaf' } } }
    for (let i = 0; i < 10; i++) shallow = { _embedded: { x: shallow } }
    expect(fromJson(shallow).embedded.x?.[0]?.embedded.x).toHaveLength(1)
  })
})
