import { MessageStatus } from '@cur/domain';
import { PosExportRow } from './pos-export.parser';

/**
 * ПОС stage/status texts → the internal life cycle. The texts vary between exports, so words are
 * matched, most final state first; the original texts are kept beside the mapped status.
 */
const RULES: [RegExp, MessageStatus][] = [
  [/отклонен/i, 'rejected'],
  [/повторн/i, 'reopened'],
  [/(ответ\s+(отправлен|направлен|дан))|заверш|решено|закрыт|исполнено/i, 'answered'],
  [/модерац/i, 'moderation'],
  [/перенос|продлен/i, 'postponed'],
  [/подведомствен|вышестоящ|перенаправ/i, 'redirected'],
  [/промежуточн/i, 'interim_answer'],
  [/согласован|утвержден/i, 'approval'],
  [/в работе|взято|взят в работу|исполнени/i, 'in_progress'],
  [/назначен|исполнител|поступил|новое|новый/i, 'assigned'],
];

export function mapPosStatus(row: Pick<PosExportRow, 'stage' | 'status' | 'actualCompletionAt' | 'rating' | 'reconsideration'>): MessageStatus {
  if (row.reconsideration && !row.actualCompletionAt) return 'reopened';
  const text = `${row.status ?? ''} ${row.stage ?? ''}`;
  for (const [pattern, status] of RULES) {
    if (pattern.test(text)) return status === 'answered' && row.rating ? 'rated' : status;
  }
  if (row.actualCompletionAt) return row.rating ? 'rated' : 'answered';
  return 'assigned';
}
