// The depth guard in front of every parser of pool input: a page nested 100,000 deep is refused at once,
// typed, before a recursive walker sees it; real documents pass.
import { describe, expect, it } from 'vitest'
import { UcwaError } from '../../main/ucwa/errors'
import { UcwaHttp, type HttpResult } from '../../main/ucwa/http'
import { checkJsonNesting, checkXmlNesting, MAX_NESTING } from '../../main/ucwa/nesting'
import { fromJson, fromXmlNode } from '../../main/ucwa/resource'

const http = new UcwaHttp({ token: () => null, allowedOrigins: () => new Set() })
const res = (body: string, type: string): HttpResult => ({ status: 200, headers: { 'content-type': type }, body, url: 'http://pool.test/e' })
const DEEP = 100_000

describe('nesting guard', () => {
  it('100,000-deep JSON and XML pages and resources: BadResponse, fast, no stack overflow', () => {
    const deepJson = `${'{"_embedded":{"x":'.repeat(DEEP)}{}${'}}'.repeat(DEEP)}`
    const deepXml = `<?xml version="1.0"?>${'<resource rel="x" href="/x">'.repeat(DEEP)}${'</resource>'.repeat(DEEP)}`
    const started = performance.now()
    for (const [body, type] of [[deepJson, 'application/json'], [deepXml, 'application/xml']] as const) {
      for (const parse of [() => http.parse(res(body, type)), () => http.parseEvents(res(body, type))]) {
        let error: unknown
        try {
          parse()
        } catch (e) {
          error = e
        }
        expect(error).toBeInstanceOf(UcwaError)
        expect(error).toMatchObject({ code: 'BadResponse' })
      }
    }
    expect(() => checkJsonNesting(deepJson)).toThrow(/JSON nested deeper than 64/)
    expect(() => checkXmlNesting(deepXml)).toThrow(/XML nested deeper than 64/)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('counts only structure: brackets in strings, attributes, comments and CDATA do not count; empty elements close', () => {
    expect(() => checkJsonNesting(JSON.stringify({ a: '[[[[{{{{'.repeat(100), b: [[1]] }), 4)).not.toThrow()
    expect(() => checkJsonNesting('[[[[[1]]]]]', 4)).toThrow()
    expect(() => checkJsonNesting('{"q":"\\"[[[[[[","n":[[[]]]}', 4)).not.toThrow()
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
