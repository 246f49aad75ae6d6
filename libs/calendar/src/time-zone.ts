import { MS_PER_DAY, MS_PER_MINUTE } from './local-date';

/**
 * A named time zone with one UTC offset over the years the calendar covers. Russian zones have had
 * no daylight saving since 2014, so a fixed offset is exact; `resolve` proves it for the years
 * asked for instead of assuming it, and refuses a zone whose offset moves.
 */
export class FixedOffsetZone {
  private constructor(
    readonly name: string,
    readonly offsetMinutes: number,
  ) {}

  static of(name: string, offsetMinutes: number): FixedOffsetZone {
    return new FixedOffsetZone(name, offsetMinutes);
  }

  /** The zone's offset read from the platform's time zone database, checked to be constant through `years`. */
  static resolve(name: string, years: readonly number[]): FixedOffsetZone {
    const offsets = new Set<number>();
    for (const year of years.length ? years : [new Date().getUTCFullYear()]) {
      for (let month = 0; month < 12; month++) offsets.add(offsetAt(name, Date.UTC(year, month, 15, 12)));
    }
    if (offsets.size !== 1) {
      throw new RangeError(`time zone ${name} changes its UTC offset within ${years.join(', ')}; deadlines need one offset`);
    }
    return new FixedOffsetZone(name, [...offsets][0]);
  }

  /** The local day number of an instant. */
  dayOf(instant: number): number {
    return Math.floor((instant + this.offsetMinutes * MS_PER_MINUTE) / MS_PER_DAY);
  }

  /** Milliseconds since local midnight. */
  msOfDay(instant: number): number {
    const shifted = instant + this.offsetMinutes * MS_PER_MINUTE;
    return shifted - Math.floor(shifted / MS_PER_DAY) * MS_PER_DAY;
  }

  /** The instant of a local day and time of day (ms since midnight). */
  instant(day: number, msOfDay: number): number {
    return day * MS_PER_DAY + msOfDay - this.offsetMinutes * MS_PER_MINUTE;
  }

  /** '+03:00' */
  get offsetText(): string {
    const sign = this.offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(this.offsetMinutes);
    return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }

  /** ISO-8601 with the zone's offset, to the second: '2024-05-14T18:00:00+03:00'. */
  format(instant: Date | number): string {
    const t = typeof instant === 'number' ? instant : instant.getTime();
    const local = new Date(t + this.offsetMinutes * MS_PER_MINUTE).toISOString().slice(0, 19);
    return `${local}${this.offsetText}`;
  }

  /** 'DD.MM.YYYY HH:MM' local, for Russian explanations. */
  formatRussian(instant: Date | number): string {
    const t = typeof instant === 'number' ? instant : instant.getTime();
    const iso = new Date(t + this.offsetMinutes * MS_PER_MINUTE).toISOString();
    const seconds = iso.slice(17, 19);
    return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)} ${iso.slice(11, 16)}${seconds === '00' ? '' : ':' + seconds}`;
  }
}

function offsetAt(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(instant));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (name === 'GMT') return 0;
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) throw new RangeError(`cannot read the UTC offset of time zone ${zone} (got "${name}")`);
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}
