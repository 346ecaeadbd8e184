// UCWA resources Parley reads, named as the reference pages name them (me_ref.md, contact_ref.md, …).
import { Availability as AvailabilitySchema, type Availability } from '../../preload/contract'

export type { Availability } from '../../preload/contract'

/** presence_ref.md / contactPresence_ref.md availability values (declared once, in the contract) */
export const availabilities: readonly Availability[] = AvailabilitySchema.options

/** A resource's availability property, or undefined when the pool sent none or a value the pages do not name. */
export function availabilityOf(value: unknown): Availability | undefined {
  return availabilities.find((a) => a === value)
}

export interface Me {
  name: string
  uri: string
  title?: string
  department?: string
}

export interface Contact {
  name: string
  uri: string
  title?: string
  department?: string
  /** the contact's href in this application (for presence) */
  href: string
  presenceHref?: string
  photoHref?: string
}
