import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run import:pos -- --file export.xlsx [--url http://localhost:3000] [--api-key KEY]`
 *
 * Uploads a ПОС backoffice export to a running intake (or standalone) service, prints the summary
 * and the row errors, and exits non-zero when the file was refused or rows were rejected. The file
 * is streamed, and the answer is awaited as long as the import takes (fetch gives up after 300 s).
 */
interface RowError {
  row?: number;
  field: string;
  message: string;
}

/** The service's answer: the import's summary (200), or the refusal with where it went wrong. */
interface ImportAnswer {
  message?: string;
  imported?: number;
  updated?: number;
  skipped?: number;
  rejectedRows?: number;
  errors?: RowError[];
  errorsOmitted?: number;
  unmappedOrganizations?: string[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string', short: 'f' },
      url: { type: 'string', default: process.env.CUR_INTAKE_URL ?? 'http://localhost:3000' },
      'api-key': { type: 'string', default: process.env.CUR_API_KEY ?? 'demo-intake-key' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.file) {
    console.error('usage: npm run import:pos -- --file export.xlsx [--url http://localhost:3000] [--api-key KEY] [--json]');
    return 2;
  }
  const { status, body } = await upload(values.file, new URL('/api/v1/imports/pos', values.url), values['api-key']);
  const where = (e: RowError) => (e.row ? `строка ${e.row}, «${e.field}»` : e.field);
  const errors = body.errors ?? [];
  if (values.json) {
    console.log(JSON.stringify(body));
  } else if (status === 200) {
    const rejected = body.rejectedRows ?? new Set(errors.map((e) => e.row)).size;
    console.log(`Загружено новых: ${body.imported ?? 0}, обновлено: ${body.updated ?? 0}, без изменений: ${body.skipped ?? 0}, строк с ошибками: ${rejected}`);
    for (const e of errors) console.log(`  ${where(e)}: ${e.message}`);
    if (body.errorsOmitted) console.log(`  … и ещё ошибок: ${body.errorsOmitted}`);
    if (body.unmappedOrganizations?.length) console.log(`Организации не из справочника: ${body.unmappedOrganizations.join('; ')}`);
  } else {
    console.error(`Файл не принят (${status}): ${body.message ?? ''}`);
    for (const e of errors) console.error(`  ${where(e)}: ${e.message}`);
  }
  if (status !== 200) return 1;
  return errors.length ? 3 : 0;
}

/** multipart/form-data with the file streamed from disk. */
function upload(file: string, url: URL, apiKey: string): Promise<{ status: number; body: ImportAnswer }> {
  const boundary = `----cur-${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(basename(file))}"\r\n` +
      `Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: { 'X-Api-Key': apiKey, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + size + tail.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ImportAnswer });
          } catch {
            reject(new Error(`${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.write(head);
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', () => req.end(tail));
    stream.pipe(req, { end: false });
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
