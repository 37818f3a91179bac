// Owns group commit of one process's registrations: those for one event that arrive while this process already has a
// transaction on that event wait their turn, then go together, in arrival order, through one locked transaction
// (one lock, one commit for the group). The lock is still the database's (other processes queue on it as before);
// a burst is only served at the speed of its statements instead of one commit each.
export class EventTurns<Job, Result> {
  private readonly waiting = new Map<number, { job: Job; resolve: (result: Result) => void; reject: (error: unknown) => void }[]>()

  /** `runGroup` returns one result per job, in order; a group that fails is run again one job at a time. */
  constructor(
    private readonly runGroup: (eventId: number, jobs: Job[]) => Promise<Result[]>,
    private readonly maxGroup = 50,
  ) {}

  take(eventId: number, job: Job): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.waiting.get(eventId)
      if (queue) {
        queue.push({ job, resolve, reject })
        return
      }
      this.waiting.set(eventId, [{ job, resolve, reject }])
      void this.drain(eventId)
    })
  }

  private async drain(eventId: number): Promise<void> {
    const queue = this.waiting.get(eventId)!
    while (queue.length > 0) {
      const group = queue.splice(0, this.maxGroup)
      try {
        const results = await this.runGroup(eventId, group.map((entry) => entry.job))
        group.forEach((entry, index) => entry.resolve(results[index]!))
      } catch (error) {
        if (group.length === 1) {
          group[0]!.reject(error)
          continue
        }
        // Nothing of the group was kept (one transaction): each job alone, so one bad job fails only itself.
        for (const entry of group) {
          try {
            entry.resolve((await this.runGroup(eventId, [entry.job]))[0]!)
          } catch (single) {
            entry.reject(single)
          }
        }
      }
    }
    // No await between the empty check and this: a job taken now starts a new drain.
    this.waiting.delete(eventId)
  }
}
