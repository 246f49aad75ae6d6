import { historyTitle, systemActorName } from '../../index';

describe('names of actors and history entries', () => {
  it('names the services by what they do and the systems messages come from by their source; a login is a person', () => {
    expect(systemActorName('system:triage')).toBe('Автоматическая сортировка');
    expect(systemActorName('system:sla')).toBe('Контроль сроков');
    expect(systemActorName('system:something-new')).toBe('Система');
    expect(systemActorName('intake:portal')).toBe('Приём сообщений (portal)');
    expect(systemActorName('import:pos-export')).toBe('Загрузка выгрузки (pos-export)');
    expect(systemActorName('source:portal')).toBe('Система-источник (portal)');
    expect(systemActorName('operator.ivanova')).toBeNull();
    expect(systemActorName('constructor')).toBeNull();
  });

  it('titles each kind of history entry in Russian, an unknown one neutrally, never as its code', () => {
    expect(historyTitle('routed')).toBe('Направлено в организацию');
    expect(historyTitle('needs-triage')).toBe('Передано на разбор оператору');
    expect(historyTitle('toString')).toBe('Изменение');
    expect(historyTitle('brand-new')).toBe('Изменение');
  });
});
