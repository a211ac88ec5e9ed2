// `studio`: starts the attn studio and prints its address; SIGINT / SIGTERM stop it gracefully (running jobs get a
// few seconds to finish). Run from the sources with `node --import tsx src/server/main.ts`, or built with
// `node dist/server/main.js`.
import { AttnError } from '@attn/core-attention';
import { serverArguments, serverUsage } from './server-arguments.js';
import { startStudioServer } from './start-studio-server.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

try {
  const options = serverArguments(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${serverUsage}\n`);
    process.exit(0);
  }
  const studio = await startStudioServer({ ...options, log });
  process.stdout.write(`attn studio listening on ${studio.url}\n`);
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1')
    log(`warning: bound to ${options.host}: anyone who can reach this address can run models here`);
  for (const { task, models } of (await studio.models()).tasks)
    for (const model of models)
      if (!model.available) log(`note: ${task}: ${model.reason ?? model.id}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (running jobs get 5 s to finish)`);
    const deadline = setTimeout(() => process.exit(1), 15_000);
    deadline.unref();
    studio.close(5000).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  const code = (error as { code?: unknown }).code;
  if (AttnError.is(error)) log(`studio: ${error.message}\n\n${serverUsage}`);
  else if (code === 'EADDRINUSE' || code === 'EACCES')
    log(
      `studio: ${(error as Error).message}. Fix: pick another port with --port, or --port 0 for any free one`,
    );
  else log(String(error));
  process.exit(2);
}
