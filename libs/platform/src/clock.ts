/** Time source; tests substitute a fixed one. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** Starts at a given instant and runs at normal speed from there (CUR_CLOCK_FROM: tests, training rooms). */
export class ShiftedClock extends Clock {
  private readonly offset: number;

  constructor(from: Date, startedAt = Date.now()) {
    super();
    this.offset = from.getTime() - startedAt;
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}
