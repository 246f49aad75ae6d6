import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { MessageEntity } from './message.entity';

/** Personal data (152-ФЗ) lives apart from the message, so access to it can be narrowed and audited. */
@Entity('applicant')
export class ApplicantEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ name: 'epgu_id', type: 'varchar', length: 64, nullable: true })
  epguId!: string | null;

  @OneToOne(() => MessageEntity, (m) => m.applicant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: MessageEntity;
}
