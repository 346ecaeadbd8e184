// How the protocol layer names an error in its log: code/subcode and message (UcwaError messages carry no token).
import { UcwaError } from './errors'

/** `Code/Subcode: message` for a UcwaError, `Name: message` for any other Error, else its string. */
export function describe(e: unknown): string {
  if (e instanceof UcwaError) return `${e.code}${e.subcode ? `/${e.subcode}` : ''}: ${e.message}`
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
}
