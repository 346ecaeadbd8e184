// The keychain probe as a Node child process (browser mode, tests). Electron uses utilityProcess instead
// (main/desktop/utility-probe-launcher.ts): its process.execPath is not Node.
import { spawn } from 'node:child_process'
import type { ProbeLauncher } from './keychain-probe'

/**
 * `modulePath`: the probe entry (out/main/keychain-probe.js, or the .ts source with execArgv ['--import', 'tsx']).
 * `env`: the child's environment (default: this process's), e.g. another D-Bus session.
 */
export function nodeProbeLauncher(modulePath: string, options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): ProbeLauncher {
  return (service) => {
    const child = spawn(process.execPath, [...(options.execArgv ?? []), modulePath, service], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'ignore'] })
    child.stdout.setEncoding('utf8')
    return {
      onOutput: (listener) => void child.stdout.on('data', listener),
      onExit: (listener) => {
        child.on('exit', (code, signal) => listener(code, signal))
        child.on('error', () => listener(-1, null)) // could not be started at all
      },
      kill: () => void child.kill('SIGKILL'),
    }
  }
}
