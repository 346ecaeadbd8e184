// electron-log with every message redacted before it is written anywhere.
import log from 'electron-log/main'
import { redactValue } from './redact'

export function setUpLogging(): { file: string; log: (message: string, error?: unknown) => void } {
  log.initialize()
  log.hooks.push((message) => ({ ...message, data: message.data.map(redactValue) }))
  log.transports.file.level = 'info'
  return {
    file: log.transports.file.getFile().path,
    log: (message, error) => (error ? log.error(message, error) : log.info(message)),
  }
}
