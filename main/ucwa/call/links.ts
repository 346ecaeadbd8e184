// Links of a call's resources: learnt from events, else read from the resource (hrefs are followed, never built).
import { UcwaError } from '../errors'
import type { UcwaHttp } from '../http'
import { link, type Resource } from '../resource'
import type { Call } from './call'

/** The `rel` link of the resource at resourceHref; Conflict when the pool does not offer it now. */
export async function follow(http: Pick<UcwaHttp, 'get'>, call: Call, resourceHref: string | undefined, rel: string): Promise<string> {
  if (!resourceHref) throw new UcwaError({ status: 0, code: 'Conflict', message: 'The server does not offer that for this call right now.' })
  const key = `${resourceHref} ${rel}`
  if (call.links[key]) return call.links[key]
  const href = link(await http.get(resourceHref), rel)
  if (!href) throw new UcwaError({ status: 0, code: 'Conflict', message: 'The server does not offer that for this call right now.' })
  call.links[key] = href
  return href
}

export function learnLinks(call: Call, res: Resource): void {
  for (const [rel, list] of Object.entries(res.links)) if (list[0]) call.links[`${res.href} ${rel}`] = list[0].href
}
