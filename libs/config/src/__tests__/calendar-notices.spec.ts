import { FixedOffsetZone } from '@cur/calendar';
import { calendarNotices, CalendarNoticeInput } from '../calendar-notices';

const MOSCOW = FixedOffsetZone.of('Europe/Moscow', 180);
const loaded = [2023, 2024, 2025, 2026, 2027];
const at = (instant: string, over: Partial<CalendarNoticeInput> = {}) =>
  calendarNotices({ years: loaded, now: new Date(instant), zone: MOSCOW, filePrefix: 'ru', missingYear: 'refuse', ...over });

describe('notices of a missing production calendar year', () => {
  it('says nothing through 30 September of the last loaded year, Moscow time', () => {
    expect(at('2027-03-02T09:00:00+03:00')).toEqual([]);
    expect(at('2027-09-30T23:59:59+03:00')).toEqual([]);
  });

  it('warns supervisors and admins from Moscow midnight of 1 October (still 30 September in UTC) that 2028 is missing, and /health reports it', () => {
    expect(at('2027-09-30T21:00:00Z')).toEqual([
      {
        id: 'calendar-missing-2028',
        severity: 'warning',
        title: 'Нет производственного календаря на 2028 год',
        text:
          'Постановление Правительства РФ о переносе выходных дней в 2028 году обычно публикуется в сентябре. ' +
          'Сроки, попадающие на 2028 год, не рассчитываются: сообщения ждут с неизвестным сроком. ' +
          'Добавьте config/calendar/ru-2028.json по постановлению (праздники, переносы, сокращённые дни, итоги года) и перезапустите сервисы.',
        audience: ['supervisor', 'admin'],
        since: '2027-09-30T21:00:00.000Z',
        health: true,
      },
    ]);
    expect(at('2027-12-31T23:59:59+03:00').map((n) => n.id)).toEqual(['calendar-missing-2028']);
  });

  it('is silent in October once next year is loaded: 1 October 2026 with 2027 in the config', () => {
    expect(at('2026-10-01T09:00:00+03:00')).toEqual([]);
  });

  it('is critical when the current year itself is missing (1 January 2028, Moscow), and names the year and the file', () => {
    const notices = at('2027-12-31T21:00:00Z');
    expect(notices).toEqual([expect.objectContaining({ id: 'calendar-missing-2028', severity: 'critical', audience: ['supervisor', 'admin'], health: true, since: '2027-12-31T21:00:00.000Z' })]);
    expect(notices[0].text).toContain('config/calendar/ru-2028.json');
    expect(notices[0].text).toContain('перезапустите');
  });

  it('in October of a missing year: the critical one for this year and the warning for the next', () => {
    expect(at('2028-10-05T12:00:00+03:00').map((n) => [n.id, n.severity])).toEqual([
      ['calendar-missing-2028', 'critical'],
      ['calendar-missing-2029', 'warning'],
    ]);
  });

  it('says that due dates are guessed by the Labour Code when the region counts a missing year that way', () => {
    const [notice] = at('2027-10-01T09:00:00+03:00', { missingYear: 'labour-code' });
    expect(notice.text).toContain('по ст. 112 ТК РФ без переносов');
    expect(notice.text).not.toContain('не рассчитываются');
  });

  it('names the region’s own calendar files', () => {
    expect(at('2027-10-01T09:00:00+03:00', { filePrefix: 'kz' })[0].text).toContain('config/calendar/kz-2028.json');
  });
});
