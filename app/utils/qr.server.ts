// Owns the check-in QR code of a registration: a PNG of its check-in URL (see links.server.ts), made by `qrcode`.
//
// CONTRACT (lead): filled in by the event-emails work.

export async function checkinQrPng(registrationId: number): Promise<Buffer> {
  void registrationId
  throw new Error('not implemented yet')
}

/** The same PNG as a data: URL, for pages (the management page shows it to present at the door). */
export async function checkinQrDataUrl(registrationId: number): Promise<string> {
  void registrationId
  throw new Error('not implemented yet')
}
