// Runs the `latchkey` command in this process, as an operator would in a shell, and collects what it
// prints.

import { PassThrough, Readable } from 'node:stream';
import { run } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  const code = await run(args, {
    stdin: Readable.from(stdin ? [Buffer.from(stdin)] : []),
    stdout,
    stderr,
    env,
  });
  return { code, stdout: out, stderr: err };
}
