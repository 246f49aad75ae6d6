import { EntityManager } from 'typeorm';
import { Channel, MessageStatus } from '@cur/domain';
import { MessageEntity } from '@cur/persistence';
import { ChangeBatch } from './message-lifecycle';

/**
 * Triage run in the transaction that admits messages (CUR_TRIAGE_IN_INTAKE): intake asks for it
 * when the triage module runs in its process. The messages are new, about to be inserted by that
 * transaction (`MessageLifecycle.admitMany` with `decide`); the decisions go through the batch given,
 * and their row changes into the row inserted.
 */
export abstract class AdmissionTriage {
  /** What must be read before the transaction (the active models of the channels' rubricators). */
  abstract prepare(channels: readonly Channel[]): Promise<unknown>;

  /** The decisions in the messages' order. */
  abstract triageAdmitted(
    manager: EntityManager,
    admitted: readonly MessageEntity[],
    prepared: unknown,
    now: Date,
    batch: ChangeBatch,
  ): Promise<TriageDecision[]>;

  /** After the commit: counts the decisions of the messages stored (a repeat another transaction stored first decided nothing). */
  abstract observe(decided: readonly TriageDecision[], now: Date): void;
}

/** A message triage decided, how, and the status it left the message in. */
export interface TriageDecision {
  message: Pick<MessageEntity, 'receivedAt'>;
  outcome: 'routed' | 'needs-triage';
  status: MessageStatus;
}
