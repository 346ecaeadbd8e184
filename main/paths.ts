import { homedir } from 'node:os'
import { join } from 'node:path'

/** Per-user data folder for the browser mode; Electron uses app.getPath('userData') instead. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Parley')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Parley')
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Parley')
}
