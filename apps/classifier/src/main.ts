import 'reflect-metadata';
import '../../../libs/platform/src/preamble';
import { runClassifierCli } from './cli';

/** `npm run classifier -- train | eval | crossval …` (see cli.ts for the options). */
process.exitCode = runClassifierCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
});
