import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run import:pos -- --file export.xlsx [--url http://localhost:3000] [--api-key KEY]`
 *
 * Uploads a ПОС backoffice export to a running intake (or standalone) service, prints the summary
 * and the row errors, and exits non-zero when the file was refused or rows were rejected.
 */
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
  const form = new FormData();
  form.append('file', new Blob([readFileSync(values.file)]), basename(values.file));
  const response = await fetch(new URL('/api/v1/imports/pos', values.url), {
    method: 'POST',
    headers: { 'X-Api-Key': values['api-key']! },
    body: form,
  });
  const body = (await response.json()) as Record<string, any>;
  if (values.json) {
    console.log(JSON.stringify(body));
  } else if (response.ok) {
    console.log(`Загружено новых: ${body.imported}, обновлено: ${body.updated}, без изменений: ${body.skipped}, строк с ошибками: ${new Set(body.errors.map((e: { row: number }) => e.row)).size}`);
    for (const e of body.errors) console.log(`  строка ${e.row}, «${e.field}»: ${e.message}`);
    if (body.unmappedOrganizations.length) console.log(`Организации не из справочника: ${body.unmappedOrganizations.join('; ')}`);
  } else {
    console.error(`Файл не принят (${response.status}): ${body.message}`);
    for (const e of body.errors ?? []) console.error(`  ${e.field}: ${e.message}`);
  }
  if (!response.ok) return 1;
  return body.errors.length ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
