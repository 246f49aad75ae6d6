import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { Importance, IMPORTANCES } from '@cur/domain';

export const BULK_ACTIONS = ['categorize', 'route', 'importance', 'reject', 'merge'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_MAX_IDS = 200;

/** The parameters each action takes besides `ids` and `reason`; any other is refused (400 naming it). */
export const BULK_PARAMETERS: Record<BulkAction, readonly (keyof BulkMessagesBody)[]> = {
  categorize: ['categoryCode', 'organizationId'],
  route: ['organizationId', 'categoryCode'],
  importance: ['importance'],
  reject: [],
  merge: ['targetId'],
};

/**
 * One action on many messages: `categorize` {categoryCode, organizationId?}, `route`
 * {organizationId, categoryCode?} (without a category the message keeps its own), `importance`
 * {importance}, `reject` (from moderation or the triage queue), `merge` {targetId} (each into the
 * one that stays). The reason is recorded in every message's history.
 */
export class BulkMessagesBody {
  @IsArray({ message: 'ids: список id сообщений' })
  @ArrayNotEmpty({ message: 'ids: выберите хотя бы одно сообщение' })
  @ArrayMaxSize(BULK_MAX_IDS, { message: `ids: не больше ${BULK_MAX_IDS} сообщений за раз` })
  @ArrayUnique({ message: 'ids: одно сообщение указано дважды' })
  @IsUUID('all', { each: true, message: 'ids: каждый id — UUID сообщения' })
  ids!: string[];

  @IsIn(BULK_ACTIONS, { message: `action: одно из ${BULK_ACTIONS.join(', ')}` })
  action!: BulkAction;

  @ValidateIf((b: BulkMessagesBody) => b.action === 'categorize' || b.categoryCode !== undefined)
  @IsString({ message: 'categoryCode: укажите код категории' })
  @IsNotEmpty({ message: 'categoryCode: укажите код категории' })
  @MaxLength(64, { message: 'categoryCode: не длиннее 64 символов' })
  categoryCode?: string;

  @ValidateIf((b: BulkMessagesBody) => b.action === 'route' || b.organizationId !== undefined)
  @IsString({ message: 'organizationId: укажите организацию' })
  @IsNotEmpty({ message: 'organizationId: укажите организацию' })
  @MaxLength(64, { message: 'organizationId: не длиннее 64 символов' })
  organizationId?: string;

  @ValidateIf((b: BulkMessagesBody) => b.action === 'importance' || b.importance !== undefined)
  @IsIn(IMPORTANCES, { message: `importance: одно из ${IMPORTANCES.join(', ')}` })
  importance?: Importance;

  /** The message that stays and is answered. */
  @ValidateIf((b: BulkMessagesBody) => b.action === 'merge' || b.targetId !== undefined)
  @IsUUID('all', { message: 'targetId: id основного сообщения (UUID)' })
  targetId?: string;

  @IsString({ message: 'reason: укажите причину' })
  @IsNotEmpty({ message: 'reason: укажите причину' })
  @MaxLength(2000, { message: 'reason: не длиннее 2000 символов' })
  reason!: string;
}
