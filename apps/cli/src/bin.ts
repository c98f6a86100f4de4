import { createRequire } from 'node:module';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { calendarCommands } from './commands/calendar.js';
import { dueCommand } from './commands/due.js';
import { reportCommand } from './commands/report.js';
import { serverCommands } from './commands/server.js';
import { signatureCommands } from './commands/signature.js';
import { statusCommand } from './commands/status.js';
import { unitsCommands } from './commands/units.js';
import { validateCommand } from './commands/validate.js';
import { vietqrCommands } from './commands/vietqr.js';
import { EXIT, reportError } from './output.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const argv = hideBin(process.argv);
const json = argv.includes('--json');

// `motcua completion bash|zsh`: yargs picks the script from $SHELL, so the shell named wins over it.
if (argv[0] === 'completion' && (argv[1] === 'bash' || argv[1] === 'zsh')) {
  process.env.SHELL = `/bin/${argv[1]}`;
  argv.splice(1, 1);
}

// A reader that stops early (`motcua … | head`) closes the pipe: stop quietly, not with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw e;
});

let cli = yargs(argv)
  .scriptName('motcua')
  .usage("$0 <command> [options]\n\nMotcua: the SDK for Vietnam's commune one-stop centers, at the terminal.")
  .option('json', {
    type: 'boolean',
    default: false,
    describe: 'machine-readable output (and errors) as JSON',
  })
  .option('lang', {
    choices: ['vi', 'en'] as const,
    default: 'vi' as const,
    describe: 'language of human output',
  })
  .strict()
  .demandCommand(1, 'Give a command (motcua --help lists them).')
  .recommendCommands()
  .completion(
    'completion',
    'Print the completion script for bash or zsh (`motcua completion bash`; default: the $SHELL): add `eval "$(motcua completion)"` to ~/.bashrc or ~/.zshrc, with motcua on the PATH',
  )
  .help()
  .alias('h', 'help')
  .version(version)
  .wrap(Math.min(110, process.stdout.columns || 110))
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(
      json
        ? `${JSON.stringify({ error: { code: 'usage', message: msg } })}\n`
        : `motcua: ${msg}\nRun motcua --help for usage.\n`,
    );
    process.exit(EXIT.usage);
  });

for (const add of [
  validateCommand,
  dueCommand,
  statusCommand,
  reportCommand,
  calendarCommands,
  unitsCommands,
  vietqrCommands,
  signatureCommands,
  serverCommands,
])
  cli = add(cli as never) as never;

try {
  await cli.parseAsync();
} catch (error) {
  process.exitCode = reportError({ json }, error);
}
