// Owns the DKIM signature of a campaign message: relaxed/relaxed, rsa-sha256, computed on the whole pre-built
// message at once. nodemailer's own signer streams the message through a parser and writes it out again in many small
// chunks (each a separate socket write once Nagle is off), which costs more than the RSA signature itself; this keeps
// its canonicalisation and header-line code (nodemailer/lib/dkim/relaxed-body and sign) but feeds the whole message
// at once. Verified by mailauth in the tests.
import type { KeyObject } from 'node:crypto'
import RelaxedBody from 'nodemailer/lib/dkim/relaxed-body.js'
import signHeaders from 'nodemailer/lib/dkim/sign.js'

export interface DkimKey {
  domainName: string
  keySelector: string
  privateKey: KeyObject
  /** Colon-separated header names to sign. */
  headerFieldNames: string
}

const noop = () => undefined

/**
 * The relaxed body hash (RFC 6376 §3.4.4) computed by nodemailer's own canonicaliser (the code its streaming signer
 * uses), fed the whole body at once: its transform and flush steps are synchronous, so no stream is set flowing.
 */
export function relaxedBodyHash(body: Buffer): string {
  const relaxed = new RelaxedBody({ hashAlgo: 'sha256' })
  let hash: string | null = null
  relaxed.once('hash', (digest: Buffer | string) => {
    hash = digest.toString()
  })
  relaxed._transform(body, 'binary', noop)
  relaxed._flush(noop)
  if (hash === null) throw new Error('DKIM body hash not computed')
  return hash
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
  const split = raw.indexOf('\r\n\r\n')
  const head = (split === -1 ? raw : raw.subarray(0, split)).toString('latin1')
  const body = split === -1 ? Buffer.alloc(0) : raw.subarray(split + 4)
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
