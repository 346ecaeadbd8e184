// The keychain probe in Electron: a utilityProcess (a Node child under Electron's own binary), so a native crash
// in keytar ends that process only. The logic is in main/credentials/keychain-probe.ts.
import { utilityProcess } from 'electron'
import type { ProbeLauncher } from '../credentials/keychain-probe'

/** `modulePath`: out/main/keychain-probe.js. */
export function utilityProbeLauncher(modulePath: string): ProbeLauncher {
  return (service) => {
    const child = utilityProcess.fork(modulePath, [service], { stdio: 'pipe', serviceName: 'Parley keychain check' })
    child.stdout?.setEncoding('utf8')
    return {
      onOutput: (listener) => void child.stdout?.on('data', listener),
      // Electron gives the wait status's code only; a crash shows as a non-zero code with no answer
      onExit: (listener) => void child.on('exit', (code) => listener(code, null)),
      kill: () => void child.kill(),
    }
  }
}
