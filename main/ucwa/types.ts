// UCWA resources Parley reads, named as the reference pages name them (me_ref.md, contact_ref.md, …).
/** presence_ref.md / contactPresence_ref.md availability values */
export const availabilities = ['Online', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'Offwork', 'Offline'] as const
export type Availability = (typeof availabilities)[number]

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
