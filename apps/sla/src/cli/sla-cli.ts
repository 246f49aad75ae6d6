import { parseArgs } from 'node:util';
import { DURATION_UNITS, DurationUnit, MissingCalendarYearError, workingDurationText } from '@cur/calendar';
import { ConfigError, loadRegionConfig, RegionCatalog } from '@cur/config';

const USAGE = `usage:
  npm run sla -- due --from <ISO-8601 instant> --amount <N> --unit working_days|working_hours|calendar_days [--organization <id>]
      the due instant on the last line of stdout (e.g. 2024-05-14T18:00:00+03:00), the counting above it
  npm run sla -- between --from <instant> --to <instant> [--organization <id>]
      office time between two instants (minutes on the last line)
  npm run sla -- is-working --at <instant> [--organization <id>]
      "yes" or "no" on the last line

  --organization  whose office hours count (config/regions/<region>/organizations.json); default: the region's
  --region rostov --config-dir config
  --json          one JSON object instead of text`;

class UsageError extends Error {}

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  at: { type: 'string' },
  amount: { type: 'string' },
  unit: { type: 'string' },
  organization: { type: 'string' },
  region: { type: 'string', default: 'rostov' },
  'config-dir': { type: 'string', default: 'config' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** `npm run sla -- due | between | is-working`: deadline arithmetic anyone can check by hand. */
export function runSlaCli(argv: string[], io: CliIo): number {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
    const [command, ...extra] = positionals;
    if (values.help || !command) {
      io.err(USAGE);
      return values.help ? 0 : 2;
    }
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (!['due', 'between', 'is-working'].includes(command)) throw new UsageError(`unknown command "${command}" (expected due, between or is-working)`);
    const region = new RegionCatalog(loadRegionConfig(values['config-dir'], values.region));
    const organizationId = values.organization;
    if (organizationId && !region.organization(organizationId))
      throw new UsageError(`--organization: no organization "${organizationId}" in region ${values.region}`);
    const time = region.workingTime(organizationId);
    switch (command) {
      case 'due': {
        const from = instant(values, 'from');
        const amount = Number(values.amount);
        if (values.amount === undefined || !Number.isInteger(amount) || amount < 0)
          throw new UsageError(`--amount must be a whole number ≥ 0, got "${values.amount ?? ''}"`);
        const unit = values.unit as DurationUnit;
        if (!DURATION_UNITS.includes(unit)) throw new UsageError(`--unit must be one of ${DURATION_UNITS.join(', ')}, got "${values.unit ?? ''}"`);
        const explanation = time.explain(from, { amount, unit });
        if (values.json) io.out(JSON.stringify(explanation));
        else {
          for (const line of explanation.lines) io.out(line);
          io.out(explanation.due);
        }
        return 0;
      }
      case 'between': {
        const from = instant(values, 'from');
        const to = instant(values, 'to');
        const ms = time.workingTimeBetween(from, to);
        if (values.json) io.out(JSON.stringify({ from: time.zone.format(from), to: time.zone.format(to), workingMs: ms, workingMinutes: ms / 60_000 }));
        else {
          io.out(`Рабочее время с ${time.zone.formatRussian(from)} по ${time.zone.formatRussian(to)}: ${workingDurationText(ms)}`);
          io.out(String(ms / 60_000));
        }
        return 0;
      }
      default: {
        const at = instant(values, 'at');
        const working = time.isWorkingInstant(at);
        if (values.json) io.out(JSON.stringify({ at: time.zone.format(at), working }));
        else io.out(working ? 'yes' : 'no');
        return 0;
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UsageError || String(code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`sla: ${(error as Error).message}`);
      io.err(USAGE);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof MissingCalendarYearError || error instanceof RangeError) {
      io.err(`sla: ${error.message}`);
      return 2;
    }
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}

// An instant, not a wall-clock time: the offset (or Z) is required, so nobody's due date depends on the machine's zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(values: Values, name: 'from' | 'to' | 'at'): Date {
  const text = values[name];
  if (!text) throw new UsageError(`--${name} is required`);
  if (!INSTANT.test(text)) throw new UsageError(`--${name} must be an ISO-8601 instant with an offset, e.g. 2024-05-07T12:00+03:00; got "${text}"`);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${name}: no such instant "${text}"`);
  return date;
}
