// What an invitation tells about its call: its href, conversation and audioVideo (indexed), the cancel link, the name.
import { link, prop, type Resource } from '../resource'
import type { Call } from './call'
import type { CallContext } from './context'
import { describe } from '../log'

/** audioVideoInvitation_ref.md: the invitation's own links; an outgoing one also names who we called, once. */
export function learnInvitation(ctx: CallContext, call: Call, inv: Resource): void {
  const { book } = ctx
  if (call.invitation.direction === 'outgoing') {
    // called by address: the pool's name for that person, once (a meeting's `to` is its organizer: the call keeps its subject)
    if (!call.invitation.href && !call.meeting) void learnName(ctx, call, link(inv, 'to')).catch((e: unknown) => ctx.log(`call ${call.id}: the callee's name could not be read: ${describe(e)}`))
    call.invitation.href = inv.href
    call.invitation.cancel = link(inv, 'cancel') ?? call.invitation.cancel
  }
  book.index(call, 'invitation', inv.href)
  book.index(call, 'conversation', link(inv, 'conversation'))
  book.index(call, 'audioVideo', link(inv, 'audioVideo'))
}

/** Called by address: the pool's name for that person (the invitation's `to` contact, audioVideoInvitation_ref.md). */
async function learnName(ctx: CallContext, call: Call, href: string | undefined): Promise<void> {
  if (!href) return
  const name = prop(await ctx.client.http.get(href), 'name')
  if (!name) return
  call.remote = { ...call.remote, name }
  ctx.book.changed(call) // an ended call too: its line in recent calls gets the name
}
