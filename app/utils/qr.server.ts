// Owns the check-in QR code of a registration: a PNG of its check-in URL (see links.server.ts), made by `qrcode`.
import QRCode, { type QRCodeToBufferOptions } from 'qrcode'
import { checkinUrl } from './links.server.ts'

/**
 * Error correction M survives a scuffed printout or a cracked screen without making the code dense; 8 pixels per
 * module and the standard 4-module quiet zone give a ~400 px image that a phone camera reads from a screen at arm's
 * length and from an A4 printout alike (emails and pages show it at 240 CSS px, so it stays sharp on dense screens).
 */
const pngOptions: QRCodeToBufferOptions = {
  type: 'png',
  errorCorrectionLevel: 'M',
  scale: 8,
  margin: 4,
  color: { dark: '#000000ff', light: '#ffffffff' },
}

/** Width at which emails and pages should display the code (CSS pixels). */
export const checkinQrDisplayWidth = 240

export async function checkinQrPng(registrationId: number): Promise<Buffer> {
  return QRCode.toBuffer(checkinUrl(registrationId), pngOptions)
}

/** The same PNG as a data: URL, for pages (the management page shows it to present at the door). */
export async function checkinQrDataUrl(registrationId: number): Promise<string> {
  const png = await checkinQrPng(registrationId)
  return `data:image/png;base64,${png.toString('base64')}`
}
