import { Client } from 'pg';

/** N open messages spread over organizations, territories, channels and due dates, written in bulk. */
export async function seedOpenMessages(db: Client, n: number): Promise<void> {
  await db.query(
    `INSERT INTO message (id, region, channel, source, external_id, text, territory_id, importance, category_code, organization_id, status, status_changed_at, created_at, received_at, due_at, overdue)
     SELECT gen_random_uuid(), '61', (ARRAY['pos','appeal','social'])[1 + i % 3], 'bench-queue', 'q-' || i,
            'Тестовое сообщение очереди номер ' || i || ': яма на дороге, не вывозят мусор, нет горячей воды.',
            (ARRAY['rostov-na-donu','taganrog','azov','bataysk','novocherkassk'])[1 + i % 5],
            CASE WHEN i % 17 = 0 THEN 'high' ELSE 'normal' END,
            CASE WHEN i % 4 = 0 THEN NULL ELSE 'pos.roads' END,
            CASE WHEN i % 4 = 0 THEN NULL ELSE (ARRAY['adm-rostov-na-donu','adm-taganrog','adm-azov','adm-bataysk','min-health'])[1 + i % 5] END,
            CASE WHEN i % 4 = 0 THEN 'needs_triage' WHEN i % 4 = 1 THEN 'assigned' ELSE 'in_progress' END,
            now(), now() - make_interval(hours => i % 500), now() - make_interval(hours => i % 500),
            now() + make_interval(mins => (i * 37) % 20000 - 4000), false
       FROM generate_series(1, $1) AS i`,
    [n],
  );
  await db.query(
    `INSERT INTO applicant (message_id, name, phone) SELECT id, 'Заявитель ' || external_id, '+7900' || lpad((random() * 1e7)::int::text, 7, '0') FROM message WHERE source = 'bench-queue'`,
  );
  await db.query(
    `INSERT INTO sla_clock (id, message_id, kind, generation, policy_id, organization_id, amount, unit, starts_on, started_at, status, due_at, next_check_at, created_at, updated_at)
     SELECT gen_random_uuid(), id, 'final_answer', 1, 'pos', organization_id, 10, 'working_days', 'assignment', received_at, 'running', due_at, due_at, now(), now()
       FROM message WHERE source = 'bench-queue' AND organization_id IS NOT NULL`,
  );
  await db.query('ANALYZE');
}
