// Owns attendance after an event (present / absent per registration, editable) and attendance rates per event and
// per series. Check-in at the door marks PRESENT too (checkedInAt).
//
// CONTRACT (lead): filled in by the registrations/check-in work.

export interface AttendanceStats {
  /** Registrations that count: confirmed ones (cancelled, refused, waitlisted and pending do not). */
  confirmed: number
  present: number
  absent: number
  unknown: number
  /** present / (present + absent + unknown) when the event is over and someone is confirmed; null otherwise. */
  rate: number | null
}

export async function eventAttendance(eventIds: number[], now = new Date()): Promise<Map<number, AttendanceStats>> {
  void eventIds
  void now
  throw new Error('not implemented yet')
}

/** Over the series' past sessions: totals and the rate. */
export async function seriesAttendance(seriesId: number, now = new Date()): Promise<AttendanceStats> {
  void seriesId
  void now
  throw new Error('not implemented yet')
}
