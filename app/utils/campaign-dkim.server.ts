// Owns the DKIM signature of a campaign message: relaxed/relaxed, rsa-sha256, computed on the whole pre-built
// message at once. nodemailer's own signer streams the message through a parser and writes it out again in many small
// chunks (each a separate socket write once Nagle is off), which costs more than the RSA signature itself; this keeps
// its header-line code (nodemailer/lib/dkim/sign) and hashes the body in one pass. Verified by mailauth in the tests.
import { createHash, type KeyObject } from 'node:crypto'
import signHeaders from 'nodemailer/lib/dkim/sign.js'

export interface DkimKey {
  domainName: string
  keySelector: string
  privateKey: KeyObject
  /** Colon-separated header names to sign. */
  headerFieldNames: string
}

/**
 * The body hash of RFC 6376 §3.4.4 (relaxed): runs of WSP to one space, none at line ends, no trailing empty lines.
 * Bare LFs count as CRLF, as the SMTP transport writes them.
 */
export function relaxedBodyHash(body: string): string {
  let canonical = body
    .replace(/\r?\n/g, '\r\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/ \r\n/g, '\r\n')
    .replace(/ $/, '')
    .replace(/(?:\r\n)+$/, '')
  if (canonical.length > 0) canonical += '\r\n'
  return createHash('sha256').update(canonical, 'latin1').digest('base64')
}

/** Header fields of a message head, unfolded into one entry each ({ key: lower-case name, line: as written }). */
function headerFields(head: string): Array<{ key: string; line: string }> {
  const fields: Array<{ key: string; line: string }> = []
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1]!.line += `\r\n${line}`
    else if (line.trim()) fields.push({ key: line.slice(0, line.indexOf(':')).trim().toLowerCase(), line })
  }
  return fields
}

/** Returns the message with a DKIM-Signature header in front. */
export function signMessage(raw: Buffer, key: DkimKey): Buffer {
  const text = raw.toString('latin1')
  const split = text.indexOf('\r\n\r\n')
  const head = split === -1 ? text : text.slice(0, split)
  const body = split === -1 ? '' : text.slice(split + 4)
  const signature = signHeaders(headerFields(head), 'sha256', relaxedBodyHash(body), {
    domainName: key.domainName,
    keySelector: key.keySelector,
    // crypto.sign accepts a KeyObject: the PEM is parsed once, not for every message.
    privateKey: key.privateKey as unknown as string,
    headerFieldNames: key.headerFieldNames,
  })
  if (!signature) throw new Error('DKIM signing failed')
  return Buffer.concat([Buffer.from(`${signature}\r\n`, 'latin1'), raw])
}
