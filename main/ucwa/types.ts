// UCWA resources Parley reads, named as the reference pages name them (me_ref.md, contact_ref.md, …).
export type Availability = 'Online' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offwork' | 'Offline'

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
