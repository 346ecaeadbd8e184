// Full screen and picture-in-picture for the call's stage (Fullscreen API, Picture-in-Picture API).

/** The stage fills the screen, or leaves full screen if it (or anything) is there. */
export function fullScreen(stage: HTMLElement | null): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
  else void stage?.requestFullscreen().catch(() => {})
}

/** The largest remote picture floats over other windows (or comes back if one already does). */
export function pictureInPicture(stage: HTMLElement | null): void {
  if (document.pictureInPictureElement) {
    void document.exitPictureInPicture().catch(() => {})
    return
  }
  const videos = [...(stage?.querySelectorAll<HTMLVideoElement>('[data-testid=remote-tile] video') ?? [])]
  const biggest = videos.sort((a, b) => b.videoWidth * b.videoHeight - a.videoWidth * a.videoHeight)[0]
  void biggest?.requestPictureInPicture().catch(() => {})
}
