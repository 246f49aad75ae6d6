import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, isFQDN, isIP, Matches, Max, Min, MinLength, validateSync, ValidateBy } from 'class-validator';
import { ConfigError, flatten } from './region-config.loader';

/** true/false spelled as people do; anything else stays a string, so @IsBoolean names the variable. */
const bool = ({ value }: { value: unknown }) => {
  const v = String(value).toLowerCase();
  return ['1', 'true', 'yes', 'on'].includes(v) ? true : ['0', 'false', 'no', 'off'].includes(v) ? false : value;
};
const int = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** An IP address or a host name a server can bind to. */
const IsListenAddress = () =>
  ValidateBy({
    name: 'isListenAddress',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (isIP(value) || isFQDN(value, { require_tld: false })),
      defaultMessage: () => 'HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name',
    },
  });

/**
 * Every environment variable the services read, validated at boot. The README's configuration
 * table is this class.
 */
export class Environment {
  /** HTTP port. */
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * The address the HTTP server binds to. Loopback by default: the embedded default has demo users
   * whose password is their login and a wildcard intake key, so it must not be reachable from the
   * network unless someone says so. Containers set 0.0.0.0 (deploy/).
   */
  @IsListenAddress()
  HOST = '127.0.0.1';

  /** Where the embedded database keeps its files. Data survives restarts. */
  @IsString()
  CUR_DATA_DIR = './data';

  /** Folder with regions/ and calendar/. */
  @IsString()
  CUR_CONFIG_DIR = './config';

  /** Region folder under config/regions. */
  @Matches(/^[a-z0-9-]+$/)
  CUR_REGION = 'rostov';

  /** A real PostgreSQL; unset = embedded PGlite in CUR_DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Comma-separated Kafka brokers; unset = in-process bus (standalone only). */
  @IsOptional()
  @Matches(/^[^,\s]+(,[^,\s]+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS?: string;

  /** Partitions of the topics a service creates. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS = 6;

  /** Records a batch consumer (triage) handles in one transaction at most. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(5000)
  CUR_CONSUMER_BATCH_SIZE = 500;

  /** Connections to PostgreSQL per service (a batch holds one for its transaction; the embedded database has one). */
  @Transform(int)
  @IsInt()
  @Min(2)
  @Max(200)
  CUR_DB_POOL_SIZE = 16;

  /** Intake's group commit: how long a request waits for others to share its transaction. 0 = write each request alone. */
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(100)
  CUR_INTAKE_BATCH_WAIT_MS = 2;

  /**
   * The outbox relay, woken by a commit, waits this long before it reads, so that the commits of
   * that moment go to Kafka in one request (fewer requests for the broker and fewer, larger batches
   * for the consumers). It adds up to this much to an event's way; a relay kept busy does not wait.
   */
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(1000)
  CUR_RELAY_LINGER_MS = 10;

  /** Intake's group commit: messages written in one transaction at most. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(5000)
  CUR_INTAKE_BATCH_MAX = 500;

  /**
   * Triage new messages inside intake's transaction (same process, keyword classifier or a model
   * already loaded). The triage consumer still runs for re-triage and split deployments: a message
   * triaged at intake is skipped there by its status.
   */
  @Transform(bool)
  @IsBoolean()
  CUR_TRIAGE_IN_INTAKE = false;

  /** Prefix of consumer group ids; tests and benchmarks isolate runs with it. */
  @Matches(/^[a-zA-Z0-9._-]+$/)
  KAFKA_GROUP_PREFIX = 'cur';

  /** Intake API keys: `key=source1|source2;key2=*`. `*` allows any source. */
  @Matches(/^[^=;\s]+=[^=;\s]+(;[^=;\s]+=[^=;\s]+)*$/, { message: 'CUR_INTAKE_API_KEYS must look like key=source|source;key2=*' })
  CUR_INTAKE_API_KEYS = 'demo-intake-key=*';

  /** Apply pending migrations at start (under an advisory lock). */
  @Transform(bool)
  @IsBoolean()
  CUR_RUN_MIGRATIONS = true;

  /** Play the demo stream of sample messages (standalone). Defaults to on only for the embedded database. */
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  CUR_DEMO_STREAM?: boolean;

  /** Mean pause between demo messages. */
  @Transform(int)
  @IsInt()
  @Min(100)
  CUR_DEMO_INTERVAL_MS = 15_000;

  /** Attempts before an event is dead-lettered. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(100)
  CUR_MAX_DELIVERY_ATTEMPTS = 5;

  /** First retry backoff; doubles per attempt. */
  @Transform(int)
  @IsInt()
  @Min(0)
  CUR_RETRY_BACKOFF_MS = 200;

  /** How often the deadline watch looks for warnings and breaches due. */
  @Transform(int)
  @IsInt()
  @Min(1000)
  CUR_SLA_WATCH_INTERVAL_MS = 60_000;

  /** How often the monthly summaries' watch generates a month's summaries and checks their deadline (order No. 733: by the 3rd). */
  @Transform(int)
  @IsInt()
  @Min(1000)
  CUR_REPORT_WATCH_INTERVAL_MS = 300_000;

  /** How often engagements whose time is up are closed (a ballot after `closesAt` is refused whatever this is). */
  @Transform(int)
  @IsInt()
  @Min(100)
  CUR_ENGAGEMENT_WATCH_INTERVAL_MS = 30_000;

  /**
   * For tests and training rooms only: the service's clock starts at this instant and runs at
   * normal speed from there (all due dates, warnings and breaches follow it). Warns loudly at boot.
   */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'CUR_CLOCK_FROM must be an ISO-8601 instant with an offset, e.g. 2025-03-03T09:00:00+03:00' })
  CUR_CLOCK_FROM?: string;

  /**
   * Signs access tokens (HS256), at least 32 characters, the same for every service. Unset: a key
   * generated once and kept in the database, which every service of the deployment shares.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'CUR_JWT_SECRET must be at least 32 characters' })
  CUR_JWT_SECRET?: string;

  /** Lifetime of an access token, seconds. */
  @Transform(int)
  @IsInt()
  @Min(30)
  @Max(3600)
  CUR_ACCESS_TOKEN_TTL_S = 900;

  /** Lifetime of a sign-in (its refresh tokens rotate inside it), seconds: a working shift by default. */
  @Transform(int)
  @IsInt()
  @Min(300)
  @Max(30 * 86_400)
  CUR_SESSION_TTL_S = 43_200;

  /**
   * Seconds during which a just-spent refresh token still gets the token that replaced it (not a new
   * one), as long as that one is unused: tabs of one browser refreshing with the same cookie at once.
   * Later, or once the successor was used, presenting it again is a reuse and ends the session. 0: never.
   */
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(60)
  CUR_REFRESH_GRACE_S = 10;

  /** How often the live updates' tail (GET /api/v1/events/stream) reads new history and deadline warnings, ms. */
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(60_000)
  CUR_EVENTS_POLL_MS = 1_000;

  /** How often a live updates stream gets a keep-alive comment and its session is checked (logout, a disabled user), ms. */
  @Transform(int)
  @IsInt()
  @Min(200)
  @Max(120_000)
  CUR_EVENTS_HEARTBEAT_MS = 15_000;

  /** Live updates streams one user may hold open at once (tabs); one more is 429. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(100)
  CUR_EVENTS_STREAMS_PER_USER = 5;

  /** Sign-in attempts per minute for one login from one address; also wrong API keys per minute from one address. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(1000)
  CUR_LOGIN_RATE_LIMIT = 10;

  /** How many days back supervisors are shown the grants of roles that read personal data (a console notice). */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(365)
  CUR_ROLE_GRANT_NOTICE_DAYS = 7;

  /** ПОС import: the largest upload, in MB (multer refuses a bigger file with 413 while receiving it). */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(1024)
  CUR_POS_IMPORT_MAX_FILE_MB = 50;

  /** ПОС import: rows of messages one file may hold (below the header); a row or a declared dimension past it refuses the file. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(1_048_575)
  CUR_POS_IMPORT_MAX_ROWS = 200_000;

  /** ПОС import: columns a file may use (the export has 25); a value or a declared dimension past it refuses the file. */
  @Transform(int)
  @IsInt()
  @Min(25)
  @Max(16_384)
  CUR_POS_IMPORT_MAX_COLUMNS = 100;

  /** ПОС import: characters one cell may hold; a longer cell refuses the file, naming its row and column. */
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(32_767)
  CUR_POS_IMPORT_MAX_CELL_CHARS = 2_000;

  /** ПОС import: MB the file's parts may take once unzipped (a ZIP bomb stops there). */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(16_384)
  CUR_POS_IMPORT_MAX_UNZIPPED_MB = 1_024;

  /** ПОС import: row errors listed in the answer; the rest are counted in errorsOmitted. */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(100_000)
  CUR_POS_IMPORT_MAX_REPORTED_ERRORS = 1_000;

  /** ПОС import: rows written per transaction; other requests wait at most one chunk (embedded: one connection). */
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(1_000)
  CUR_POS_IMPORT_CHUNK_ROWS = 100;

  /**
   * When set, GET /metrics answers only to `Authorization: Bearer <this token>` (401 otherwise);
   * unset, it is open like /health. At least 16 characters, no spaces.
   */
  @IsOptional()
  @Matches(/^\S{16,}$/, { message: 'CUR_METRICS_TOKEN must be at least 16 characters without spaces' })
  CUR_METRICS_TOKEN?: string;

  /**
   * How long, in seconds, /metrics answers the counts of open and overdue messages and of
   * triage's decisions again after a read began (each read counts the open messages); 0 reads
   * them at every scrape. Below Prometheus's scrape interval (often 15 s), every scrape of a
   * service reads them; faster scrapers share a read. The outbox backlog and dead letters are
   * read at every scrape.
   */
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(3_600)
  CUR_METRICS_COUNTS_SECONDS = 10;

  /** json = one JSON object per line (production); pretty = Nest's colored lines. */
  @IsIn(['json', 'pretty'])
  CUR_LOG_FORMAT: 'json' | 'pretty' = 'pretty';

  static load(source: NodeJS.ProcessEnv = process.env): Environment {
    const picked = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
    const env = plainToInstance(Environment, picked, { exposeDefaultValues: true });
    const errors = validateSync(env, { whitelist: true });
    if (errors.length) throw new ConfigError(flatten(errors).map((e) => `environment: ${e}`));
    return env;
  }

  get kafkaBrokers(): string[] | undefined {
    return this.KAFKA_BROKERS?.split(',');
  }

  /** key → allowed sources ('*' = any). */
  get intakeKeys(): Map<string, Set<string>> {
    return new Map(
      this.CUR_INTAKE_API_KEYS.split(';').map((pair) => {
        const [key, sources] = pair.split('=');
        return [key, new Set(sources.split('|'))];
      }),
    );
  }
}
