/** Every `tskrb` command, in the order `tskrb --help` lists them. Add a command: one file here, one row below. */
import type { Command } from '../command.js';
import { completionCommandFor } from './completion.js';
import { demoCommand } from './demo.js';
import { describeCommand } from './describe.js';
import { httpCommand } from './http.js';
import { kdestroyCommand } from './kdestroy.js';
import { kinitCommand } from './kinit.js';
import { klistCommand } from './klist.js';
import { kswitchCommand } from './kswitch.js';
import { kvnoCommand } from './kvno.js';
import { s4uCommand } from './s4u.js';
import { serveCommand } from './serve.js';

/** The command table the dispatcher looks names up in. */
export const COMMANDS: readonly Command[] = [
  kinitCommand,
  klistCommand,
  kdestroyCommand,
  kswitchCommand,
  kvnoCommand,
  s4uCommand,
  httpCommand,
  serveCommand,
  describeCommand,
  demoCommand,
  completionCommandFor(() => COMMANDS),
];
