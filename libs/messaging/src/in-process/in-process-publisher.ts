import { BusRecord, EventPublisher } from '../bus';
import { InProcessBroker } from './in-process-broker';

export class InProcessEventPublisher extends EventPublisher {
  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  publish(records: readonly BusRecord[]): Promise<void> {
    return this.broker.publish(records);
  }
}
