/** `tskrb demo`: replay the shipped S4U2Self + S4U2Proxy recording and explain each step. Needs nothing but Node. */
import { FormatError } from '../../errors.js';
import { node } from '../../explain/core.js';
import { fromUtf8 } from '../../util/bytes.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { type DemoRecording, parseRecording, shippedRecording } from '../demo/recording.js';
import { replayRecording } from '../demo/story.js';
import { renderTree, toJson } from '../render.js';

async function recordingOf(args: ParsedArgs, io: CliIo): Promise<DemoRecording> {
  const path = args.get('recording');
  if (path === undefined) {
    const rec = shippedRecording();
    if (rec === undefined) {
      throw new FormatError('this build ships no demo recording', {
        hint: 'pass one with --recording FILE.json',
      });
    }
    return rec;
  }
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(await io.readFile(path)));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new FormatError(`${path} is not JSON: ${e.message}`);
  }
  return parseRecording(json);
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const rec = await recordingOf(args, io);
  const showKeys = args.has('show-keys');
  const replay = replayRecording(rec, { showKeys });
  if (args.has('json')) {
    for (const s of replay.steps) io.stdout(`${toJson(s, { showKeys })}\n`);
    return 0;
  }
  const render = { color: io.color };
  io.stdout(renderTree(replay.header, render));
  replay.steps.forEach((s, i) => {
    const trees = args.has('brief') ? [s.story] : [s.story, s.request, s.reply];
    io.stdout(`\n${renderTree(node(`Step ${i + 1}`, `${s.step}: ${s.title}`, undefined, trees), render)}`);
  });
  return 0;
}

/** The demo command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'replay a recorded S4U2Self + S4U2Proxy exchange and explain every step',
  usage: 'demo [--brief] [--json] [--show-keys] [--recording FILE.json]',
  description: [
    'Replays an S4U2Self + S4U2Proxy exchange recorded from a lab KDC, with the lab keys, and explains each step:',
    'what the service asked and what each padata means, what the KDC answered, which key opened which part, and',
    'where the PAC says "service asserted identity" (S-1-18-2). No KDC, network or configuration is needed.',
  ].join('\n'),
  options: [
    { name: 'brief', help: 'the story of each step only, without the full request and reply trees' },
    { name: 'json', help: 'one JSON line per step (story, request and reply trees)' },
    { name: 'show-keys', help: 'show key bytes' },
    { name: 'recording', value: 'FILE', help: 'replay another recording (the same JSON format)' },
  ],
  examples: ['tskrb demo', 'tskrb demo --brief', 'tskrb demo --json | jq .title'],
  run,
};
