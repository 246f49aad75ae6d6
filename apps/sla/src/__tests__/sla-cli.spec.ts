import 'reflect-metadata';
import { join } from 'node:path';
import { runSlaCli } from '../cli/sla-cli';

const CONFIG = join(__dirname, '../../../../config');

function run(...argv: string[]): { code: number; out: string[]; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runSlaCli([...argv, '--config-dir', CONFIG], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err: err.join('\n') };
}

describe('npm run sla -- due', () => {
  it.each([
    ['2025-03-07T16:00+03:00', '2', 'working_hours', '2025-03-10T10:00:00+03:00'],
    ['2024-05-07T12:00+03:00', '3', 'working_days', '2024-05-14T18:00:00+03:00'],
    ['2024-04-26T12:00+03:00', '1', 'working_days', '2024-04-27T18:00:00+03:00'],
    ['2026-01-30T09:00+03:00', '30', 'calendar_days', '2026-03-02T18:00:00+03:00'],
    // 1 January 2027 is a holiday; 2–8 January holidays, 9–10 a weekend: the first working day is Monday 11 January.
    ['2026-12-02T10:00+03:00', '30', 'calendar_days', '2027-01-11T18:00:00+03:00'],
  ])('%s + %s %s → %s on the last line', (from, amount, unit, due) => {
    const result = run('due', '--from', from, '--amount', amount, '--unit', unit);
    expect(result.code).toBe(0);
    expect(result.out.at(-1)).toBe(due);
    expect(result.out[0]).toMatch(/^Срок: /);
  });

  it('accepts UTC instants and prints Moscow time', () => {
    expect(run('due', '--from', '2024-05-07T09:00:00Z', '--amount', '3', '--unit', 'working_days').out.at(-1)).toBe('2024-05-14T18:00:00+03:00');
  });

  it('gives the whole explanation as one JSON object with --json', () => {
    const result = run('due', '--from', '2025-03-07T16:00+03:00', '--amount', '2', '--unit', 'working_hours', '--json');
    expect(result.out).toHaveLength(1);
    expect(JSON.parse(result.out[0])).toMatchObject({
      due: '2025-03-10T10:00:00+03:00',
      skipped: [
        { date: '2025-03-08', reason: 'holiday' },
        { date: '2025-03-09', reason: 'weekend' },
      ],
    });
  });

  it('counts an organization’s own hours when asked for one', () => {
    const result = run('due', '--from', '2024-05-07T12:00+03:00', '--amount', '3', '--unit', 'working_days', '--organization', 'cur-rostov');
    expect(result.code).toBe(0);
    expect(result.out.at(-1)).toBe('2024-05-14T18:00:00+03:00');
  });

  it.each([
    [['--from', '2024-05-07T12:00', '--amount', '3', '--unit', 'working_days'], 'with an offset'],
    [['--from', '2024-05-07T12:00+03:00', '--amount', 'x', '--unit', 'working_days'], '--amount'],
    [['--from', '2024-05-07T12:00+03:00', '--amount', '3', '--unit', 'weeks'], '--unit must be one of working_days, working_hours, calendar_days'],
    [['--amount', '3', '--unit', 'working_days'], '--from is required'],
    [['--from', '2024-05-07T12:00+03:00', '--amount', '3', '--unit', 'working_days', '--organization', 'nobody'], 'no organization "nobody"'],
  ])('refuses bad input with exit code 2 and a message naming the option (%j)', (args, message) => {
    const result = run('due', ...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.out).toEqual([]);
  });

  it('refuses a term reaching a year without a production calendar, naming the year', () => {
    // 30 December 2027 is the last working day of the year (31 December is a transferred day off).
    const result = run('due', '--from', '2027-12-29T10:00+03:00', '--amount', '5', '--unit', 'working_days');
    expect(result.code).toBe(2);
    expect(result.err).toContain('2028');
  });
});

describe('npm run sla -- between / is-working', () => {
  it('measures office time between two instants in minutes', () => {
    const result = run('between', '--from', '2025-03-07T16:00+03:00', '--to', '2025-03-10T10:00+03:00');
    expect(result.out.at(-1)).toBe('120');
    expect(result.out[0]).toContain('2 ч');
  });

  it('tells whether an instant is office time', () => {
    expect(run('is-working', '--at', '2025-03-07T16:30+03:00').out.at(-1)).toBe('yes');
    expect(run('is-working', '--at', '2025-03-07T17:30+03:00').out.at(-1)).toBe('no');
    expect(run('is-working', '--at', '2024-04-27T10:00+03:00').out.at(-1)).toBe('yes');
  });
});
