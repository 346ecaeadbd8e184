// The people a session can see (people_ref.md): search, my contacts, their presence and photos.
import { MAX_BYTES, type UcwaHttp } from './http'
import { need } from './application'
import { embedded, link, prop, type Resource } from './resource'
import { availabilityOf, type Availability, type Contact } from './types'

/** Contacts matching `query` (search_ref.md), at most `limit`. Throws Conflict/NotSignedIn without an application. */
export async function searchPeople(http: UcwaHttp, app: Resource | null, query: string, limit: number): Promise<Contact[]> {
  const href = need(app, link(embedded(app ?? undefined, 'people'), 'search'))
  const result = await http.get(href, { query: { query, limit } })
  return (result.embedded.contact ?? []).map(toContact)
}

/** My contact list (myContacts_ref.md). Throws Conflict/NotSignedIn without an application. */
export async function myContacts(http: UcwaHttp, app: Resource | null): Promise<Contact[]> {
  const href = need(app, link(embedded(app ?? undefined, 'people'), 'myContacts'))
  return ((await http.get(href)).embedded.contact ?? []).map(toContact)
}

/** A contact's availability now (contactPresence_ref.md); Offline when it has no presence link or says nothing known. */
export async function presenceOf(http: UcwaHttp, contact: Contact): Promise<Availability> {
  if (!contact.presenceHref) return 'Offline'
  return availabilityOf(prop(await http.get(contact.presenceHref), 'availability')) ?? 'Offline'
}

/** A photo (contactPhoto_ref.md, 96×96) as a data: URL the page can show, or null if it is not a JPEG/PNG of a sane size. */
export async function photoDataUrl(http: UcwaHttp, href: string): Promise<string | null> {
  const { type, bytes } = await http.image(href, { size: 'HR96X96' })
  if (!/^image\/(jpeg|png)$/.test(type) || bytes.length === 0 || bytes.length > MAX_BYTES.photo) return null
  return `data:${type};base64,${bytes.toString('base64')}`
}

function toContact(r: Resource): Contact {
  return { name: prop(r, 'name') ?? '', uri: prop(r, 'uri') ?? '', title: prop(r, 'title'), department: prop(r, 'department'), href: r.href, presenceHref: link(r, 'contactPresence'), photoHref: link(r, 'contactPhoto') }
}
