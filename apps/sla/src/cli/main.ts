import 'reflect-metadata';
import '../../../../libs/platform/src/preamble';
import { runSlaCli } from './sla-cli';

/** `npm run sla -- due --from … --amount … --unit …` (see sla-cli.ts). */
process.exitCode = runSlaCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
});
