// The tray icon: its picture, tooltip and menu come from trayView(); this only draws them.
import { join } from 'node:path'
import { Menu, nativeImage, Tray } from 'electron'
import type { TrayIcon, TrayMenuItem, TrayView } from './tray-state'

export class AppTray {
  readonly #tray: Tray
  #flash: ReturnType<typeof setInterval> | null = null
  #icon: TrayIcon = 'signed-out'

  constructor(
    private readonly iconsDir: string,
    private readonly onMenu: (id: TrayMenuItem['id']) => void,
    onClick: () => void,
  ) {
    this.#tray = new Tray(this.#image('signed-out'))
    this.#tray.on('click', onClick)
  }

  render(view: TrayView): void {
    this.#icon = view.icon
    this.#tray.setToolTip(view.tooltip)
    this.#tray.setContextMenu(
      Menu.buildFromTemplate(
        view.menu.map((m) => ({ label: m.label, enabled: m.enabled, click: () => this.onMenu(m.id), ...(m.checked !== undefined && { type: 'radio' as const, checked: m.checked }) })),
      ),
    )
    if (this.#flash) clearInterval(this.#flash)
    this.#flash = null
    this.#tray.setImage(this.#image(view.icon))
    if (view.flashing) {
      let lit = true
      this.#flash = setInterval(() => {
        lit = !lit
        this.#tray.setImage(this.#image(lit ? this.#icon : 'signed-out'))
      }, 600)
    }
  }

  destroy(): void {
    if (this.#flash) clearInterval(this.#flash)
    this.#tray.destroy()
  }

  #image(icon: TrayIcon) {
    const template = process.platform === 'darwin' ? 'Template' : ''
    return nativeImage.createFromPath(join(this.iconsDir, `tray-${icon}${template}.png`))
  }
}
