// Text into XML 1.0, as character data or a quoted attribute value: the five predefined entities (XML 1.0 §4.6).
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }

/** `s` with `<`, `>`, `&`, `"` and `'` as entities: safe inside an element or either kind of quoted attribute (XML 1.0 §2.4, §3.1). */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ENTITIES[c]!)
}
