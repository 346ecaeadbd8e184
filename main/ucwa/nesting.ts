// How deep a UCWA document may nest. The resource walkers (resource.ts fromJson/fromXmlNode, events.ts grouped)
// recurse and bound themselves by it; XML is also refused before parsing (the parser builds its tree by recursion
// too, and the scan costs ~3 % of an XML parse). JSON needs no scan: V8's JSON.parse does not recurse.

/** No UCWA document nests this deep (an events page with an embedded conversation is ~12 levels). */
export const MAX_NESTING = 64

/** Throws a TypeError when XML text nests elements deeper than `max`. One pass, no recursion. */
export function checkXmlNesting(text: string, max = MAX_NESTING): void {
  let depth = 0
  let i = text.indexOf('<')
  while (i >= 0 && i < text.length) {
    const next = text[i + 1]
    if (next === '/') {
      depth--
      i = text.indexOf('>', i)
    } else if (text.startsWith('<!--', i)) i = endOf(text, '-->', i)
    else if (text.startsWith('<![CDATA[', i)) i = endOf(text, ']]>', i)
    else if (next === '?' || next === '!') i = text.indexOf('>', i)
    else {
      if (++depth > max) throw new TypeError(`XML nested deeper than ${max}`)
      // to the end of the start tag; attribute values may hold '>'
      let quote = ''
      let j = i + 1
      for (; j < text.length; j++) {
        const c = text[j]!
        if (quote) {
          if (c === quote) quote = ''
        } else if (c === '"' || c === "'") quote = c
        else if (c === '>') break
      }
      if (text[j - 1] === '/') depth-- // <empty/>
      i = j
    }
    if (i < 0) return
    i = text.indexOf('<', i + 1)
  }
}

function endOf(text: string, end: string, from: number): number {
  const at = text.indexOf(end, from)
  return at < 0 ? -1 : at + end.length - 1
}
