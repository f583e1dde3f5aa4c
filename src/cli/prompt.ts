/**
 * Asking the person at the terminal: a line, or a secret one without echo; from piped input too (scripts: one answer a
 * line). One reader for the whole command, so piped answers are taken in order (a reader made per question would
 * swallow the lines after its own); closed when the command is done, or the process would wait on its input.
 */
import readline from 'node:readline';

export interface PromptIo {
  stderr: NodeJS.WritableStream;
  stdin?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
}

/** Wrong or missing input: said in one line, and the command's usage follows (exit 2). */
export class PromptError extends Error {}

export interface Prompt {
  line(question: string): Promise<string>;
  secret(question: string): Promise<string>;
  close(): void;
}

export function createPrompt(io: PromptIo): Prompt {
  let reader: { rl: readline.Interface; lines: string[]; waiting: ((line: string | null) => void)[]; closed: boolean; muted: boolean } | null = null;

  const open = () => {
    if (reader) return reader;
    const input = io.stdin ?? process.stdin;
    const rl = readline.createInterface({ input, output: io.stderr, terminal: Boolean(input.isTTY) });
    const state = { rl, lines: [] as string[], waiting: [] as ((line: string | null) => void)[], closed: false, muted: false };
    // readline echoes what is typed through this: a secret is not shown.
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text) => {
      if (!state.muted) io.stderr.write(text);
    };
    rl.on('line', (line) => {
      const waiter = state.waiting.shift();
      if (waiter) waiter(line);
      else state.lines.push(line);
    });
    rl.on('close', () => {
      state.closed = true;
      for (const waiter of state.waiting.splice(0)) waiter(null);
    });
    return (reader = state);
  };

  const ask = async (question: string, hidden: boolean): Promise<string> => {
    const state = open();
    io.stderr.write(question);
    state.muted = hidden;
    const answer = await (state.lines.length > 0
      ? Promise.resolve(state.lines.shift()!)
      : state.closed
        ? Promise.resolve(null)
        : new Promise<string | null>((resolve) => state.waiting.push(resolve)));
    state.muted = false;
    if (hidden) io.stderr.write('\n');
    if (!answer?.trim()) throw new PromptError(`${question.replace(/: $/, '')} is needed`);
    return hidden ? answer : answer.trim();
  };

  return {
    line: (question) => ask(question, false),
    secret: (question) => ask(question, true),
    close: () => reader?.rl.close(),
  };
}
