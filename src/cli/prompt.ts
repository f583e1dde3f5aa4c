/** Asking the person at the terminal: a line, or a secret one without echo; from piped input too (scripts). */
import readline from 'node:readline';

export interface PromptIo {
  stderr: NodeJS.WritableStream;
  stdin?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
}

/** Wrong or missing input: said in one line, and the command's usage follows (exit 2). */
export class PromptError extends Error {}

async function ask(io: PromptIo, question: string, hidden: boolean): Promise<string> {
  const input = io.stdin ?? process.stdin;
  const rl = readline.createInterface({ input, output: io.stderr, terminal: Boolean(input.isTTY) });
  // readline echoes what is typed through this; a password is not shown.
  if (hidden) (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
  io.stderr.write(question);
  try {
    const answer = await new Promise<string | null>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(null));
    });
    if (hidden) io.stderr.write('\n');
    if (!answer?.trim()) throw new PromptError(`${question.replace(/: $/, '')} is needed`);
    return hidden ? answer : answer.trim();
  } finally {
    rl.close();
  }
}

export const readLine = (io: PromptIo, question: string) => ask(io, question, false);
export const readSecretLine = (io: PromptIo, question: string) => ask(io, question, true);
