import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamicModule, INestApplication, Logger, Module, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CustomStrategy } from '@nestjs/microservices';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AuthModule } from '@cur/auth';
import { setupOpenApi } from './openapi';
import { ConfigError, CurConfigModule, Environment, loadRegionConfig, RegionCatalog } from '@cur/config';
import { BusOptions, DeadLetterRecorder, InProcessBroker, InProcessBusServer, KafkaBusServer, MessagingModule, RetryPolicy } from '@cur/messaging';
import { migrate, openDatabase, PersistenceModule, PipelineFiguresRepository } from '@cur/persistence';
import {
  Clock,
  ConsumerHealth,
  correlationMiddleware,
  createLogger,
  createValidationPipe,
  describeError,
  HttpExceptionFilter,
  HttpMetrics,
  ObservabilityModule,
  PlatformModule,
  Readiness,
  refuseDeepJson,
  securityHeaders,
  ShiftedClock,
} from '@cur/platform';

export const SERVICE_NAMES = ['api', 'intake', 'triage', 'sla', 'standalone'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  name: ServiceName;
  /** Feature modules of this service. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** Whether the service has `@EventPattern` handlers and needs a bus consumer. */
  consumes: boolean;
  /** Port when PORT is not set. */
  defaultPort: number;
  /** Serves sign-in, users and the access table (api, standalone). */
  signIn?: boolean;
  /** Extra providers, given the environment and whether the database is embedded. */
  providers?: (context: { env: Environment; embedded: boolean }) => NonNullable<ModuleMetadata['providers']>;
}

export interface RunningService {
  app: INestApplication;
  url: string;
  stop(): Promise<void>;
}

/**
 * One bootstrap for every deployable: validate env and region config (fail fast, naming the file
 * and field), open the database (real or embedded), migrate, compose the modules, connect the bus
 * transport, listen, and shut down in order on SIGTERM/SIGINT.
 */
export async function runService(spec: ServiceSpec, source: NodeJS.ProcessEnv = process.env, overrides: { clock?: Clock } = {}): Promise<RunningService> {
  const env = Environment.load(source.PORT ? source : { ...source, PORT: String(spec.defaultPort) });
  const logger = createLogger(env.CUR_LOG_FORMAT, spec.name);
  Logger.overrideLogger(logger);
  const region = new RegionCatalog(loadRegionConfig(env.CUR_CONFIG_DIR, env.CUR_REGION));

  if (spec.name !== 'standalone' && (!env.DATABASE_URL || !env.KAFKA_BROKERS)) {
    throw new ConfigError([
      `environment: the ${spec.name} service runs distributed and needs DATABASE_URL and KAFKA_BROKERS (use \`npm start\` for the embedded mode)`,
    ]);
  }
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.CUR_DATA_DIR, poolSize: env.CUR_DB_POOL_SIZE });
  // Set once the application exists: a start that fails after it (the port taken, a transport
  // refused) closes it, or its relay, watches and consumers would run on in this process.
  let created: INestApplication | undefined;
  try {
    if (env.CUR_RUN_MIGRATIONS) {
      const applied = await migrate(database.options, database.embedded);
      if (applied.length) logger.log(`migrations applied: ${applied.join(', ')}`, 'Bootstrap');
    }
    const retry: RetryPolicy = { maxAttempts: env.CUR_MAX_DELIVERY_ATTEMPTS, backoffMs: env.CUR_RETRY_BACKOFF_MS };
    const bus = busFor(spec, env, retry);
    if (bus.kind === 'kafka' && env.intakeKeys.has('demo-intake-key')) {
      logger.warn('the demo intake key "demo-intake-key" is enabled: set CUR_INTAKE_API_KEYS for production', 'Bootstrap');
    }

    if (env.CUR_CLOCK_FROM) {
      logger.warn(`CUR_CLOCK_FROM is set: this service's clock starts at ${env.CUR_CLOCK_FROM}, not the real time. Never in production.`, 'Bootstrap');
    }

    @Module({})
    class RootModule {}
    const root: DynamicModule = {
      module: RootModule,
      imports: [
        PlatformModule.forRoot({
          clock: overrides.clock ?? (env.CUR_CLOCK_FROM ? new ShiftedClock(new Date(env.CUR_CLOCK_FROM)) : undefined),
          embedded: database.embedded,
        }),
        ObservabilityModule.forRoot({
          service: spec.name,
          metricsToken: env.CUR_METRICS_TOKEN,
          // Every service reports the lag of every consumer group of the deployment: a stopped consumer's too.
          kafka:
            bus.kind === 'kafka'
              ? { brokers: bus.connection.brokers, clientId: bus.connection.clientId, groups: SERVICE_NAMES.map((name) => groupId(env, name)) }
              : undefined,
          figures: PipelineFiguresRepository,
          countsFreshSeconds: env.CUR_METRICS_COUNTS_SECONDS,
        }),
        CurConfigModule.forRoot(env, region),
        PersistenceModule.forRoot(database.options),
        MessagingModule.forRoot(bus, { exclusiveUrl: database.embedded ? undefined : env.DATABASE_URL, lingerMs: env.CUR_RELAY_LINGER_MS }),
        AuthModule.forRoot({ api: spec.signIn ?? false }),
        ...spec.imports,
      ],
      providers: spec.providers?.({ env, embedded: database.embedded }) ?? [],
    };

    const app = await NestFactory.create<NestExpressApplication>(root, { logger, bodyParser: false });
    created = app;
    app.use(securityHeaders()); // first: responses the body parser or a guard cuts short carry the headers too
    app.use(correlationMiddleware());
    app.use(app.get(HttpMetrics).middleware); // before the body parser: its refusals are requests too
    app.useBodyParser('json', { limit: '1mb', verify: refuseDeepJson() });
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new HttpExceptionFilter());
    if (spec.signIn) setupOpenApi(app);
    if (spec.consumes) {
      app.connectMicroservice<CustomStrategy>({ strategy: serverFor(spec, env, bus, retry, app.get(DeadLetterRecorder), app.get(ConsumerHealth)) });
      await app.startAllMicroservices();
    }
    await app.listen(env.PORT, env.HOST);
    app.get(Readiness).ready = true;
    const { listening, url } = whereListening(app);
    logger.log(
      `${spec.name} ready: listening on ${listening}, open ${url} (database: ${database.describe}; bus: ${bus.kind === 'kafka' ? env.KAFKA_BROKERS : 'in-process'})`,
      'Bootstrap',
    );

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        app.get(Readiness).ready = false;
        await app.close();
        await database.close();
      })());
    return { app, url, stop };
  } catch (error) {
    await created?.close().catch((closing: unknown) => {
      logger.warn(`closing after a failed start: ${describeError(closing)}`, 'Bootstrap');
    });
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Where the server really listens, read from its socket (not from what was asked: the log must
 * not say loopback while the port is open to the network), and a URL a local client can open.
 */
function whereListening(app: INestApplication): { listening: string; url: string } {
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const everywhere = address.address === '0.0.0.0' || address.address === '::';
  const listening = `${host}:${address.port}${everywhere ? ' (every network interface)' : ''}`;
  const local = everywhere ? (address.family === 'IPv6' ? '[::1]' : '127.0.0.1') : host;
  return { listening, url: `http://${local}:${address.port}` };
}

function busFor(spec: ServiceSpec, env: Environment, retry: RetryPolicy): BusOptions {
  const brokers = env.kafkaBrokers;
  if (brokers) {
    return { kind: 'kafka', connection: { brokers, clientId: `cur-${spec.name}`, partitions: env.KAFKA_PARTITIONS }, retry };
  }
  return { kind: 'in-process', broker: new InProcessBroker(retry) };
}

function serverFor(spec: ServiceSpec, env: Environment, bus: BusOptions, retry: RetryPolicy, deadLetters: DeadLetterRecorder, observer: ConsumerHealth) {
  if (bus.kind === 'in-process') return new InProcessBusServer(bus.broker, deadLetters);
  return new KafkaBusServer({
    ...bus.connection,
    groupId: groupId(env, spec.name),
    retry,
    partitionsConsumedConcurrently: env.KAFKA_PARTITIONS,
    batchSize: env.CUR_CONSUMER_BATCH_SIZE,
    deadLetters,
    observer,
  });
}

function groupId(env: Environment, service: ServiceName): string {
  return `${env.KAFKA_GROUP_PREFIX}-${service}`;
}

/** Entry-point helper: run, stop cleanly on signals, exit non-zero with a readable error. */
export function main(spec: ServiceSpec): void {
  runService(spec).then(
    (service) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        if (++signals > 1) process.exit(1);
        Logger.log(`${signal}: stopping`, 'Bootstrap');
        service.stop().then(
          () => process.exit(0),
          (error) => {
            Logger.error(error instanceof Error ? error.stack : String(error), 'Bootstrap');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
    (error) => {
      if (error instanceof ConfigError) console.error(error.message);
      else console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
