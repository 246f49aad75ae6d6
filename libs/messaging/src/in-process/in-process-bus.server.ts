import { HandlerServer } from '../handler-server';
import { InProcessBroker } from './in-process-broker';

export class InProcessBusServer extends HandlerServer {
  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  listen(callback: () => void): void {
    for (const topic of this.topics()) this.broker.subscribe(topic, this.recordHandler(topic));
    callback();
  }

  close(): void {
    this.broker.unsubscribeAll();
  }

  unwrap<T>(): T {
    return this.broker as T;
  }
}
