// Which speaker a media element plays on: the one chosen in settings, or the default when it is gone (unplugged).

/** sinkId '' is the system default; where setSinkId is missing, the default is all there is */
export async function playOn(el: HTMLMediaElement, sinkId: string): Promise<void> {
  if (typeof el.setSinkId !== 'function' || el.sinkId === sinkId) return
  await el.setSinkId(sinkId).catch(() => el.setSinkId('').catch(() => {}))
}
