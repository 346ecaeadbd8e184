// Which window this renderer is: the main client, or the small always-on-top incoming-call window (Electron).
export const isIncomingWindow = (): boolean => location.hash === '#incoming-window'
