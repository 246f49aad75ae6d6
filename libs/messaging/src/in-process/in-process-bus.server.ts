import { DeadLetterRecorder } from '../bus';
import { HandlerServer } from '../handler-server';
import { InProcessBroker } from './in-process-broker';

export class InProcessBusServer extends HandlerServer {
  constructor(
    private readonly broker: InProcessBroker,
    private readonly deadLetters?: DeadLetterRecorder,
  ) {
    super();
  }

  listen(callback: () => void): void {
    if (this.deadLetters) this.broker.recordDeadLettersIn(this.deadLetters);
    for (const topic of this.topics()) {
      const batch = this.batchHandler(topic);
      this.broker.subscribe(topic, batch ? { batch } : { record: this.recordHandler(topic) });
    }
    callback();
  }

  close(): void {
    this.broker.unsubscribeAll();
  }

  unwrap<T>(): T {
    return this.broker as T;
  }
}
