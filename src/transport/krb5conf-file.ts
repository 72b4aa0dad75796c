/** Loading krb5.conf from disk: KRB5_CONFIG (a colon-separated list), `include` and `includedir`. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { FormatError } from '../errors.js';
import {
  type IncludeReader,
  type Krb5Settings,
  krb5Settings,
  type ProfileNode,
  parseKrb5Conf,
} from './krb5conf.js';

const DEFAULT_KRB5_CONFIG = '/etc/krb5.conf';
// MIT reads from an includedir only names made of these characters, or ending in .conf.
const INCLUDEDIR_NAME = /^(?:[A-Za-z0-9_-]+|[^.].*\.conf)$/;

/** The krb5.conf files to read: KRB5_CONFIG split on ':', else /etc/krb5.conf. */
export function krb5ConfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const v = env['KRB5_CONFIG'];
  const paths = v ? v.split(':').filter((p) => p.length > 0) : [];
  return paths.length > 0 ? paths : [DEFAULT_KRB5_CONFIG];
}

const readInclude: IncludeReader = (kind, path) => {
  if (!isAbsolute(path)) {
    throw new FormatError(`${kind} '${path}' is not an absolute path`, {
      hint: 'MIT requires absolute include paths',
    });
  }
  if (kind === 'include') return [{ name: path, text: readFileSync(path, 'utf8') }];
  return readdirSync(path)
    .filter((f) => INCLUDEDIR_NAME.test(f))
    .sort()
    .map((f) => ({ name: join(path, f), text: readFileSync(join(path, f), 'utf8') }));
};

/** Reads and merges the given krb5.conf files (missing ones skipped, earlier files win) into one profile. */
export function loadKrb5Profile(paths: readonly string[] = krb5ConfigPaths()): ProfileNode {
  const root: ProfileNode = new Map();
  for (const path of paths) {
    if (!existsSync(path)) continue;
    parseKrb5Conf(readFileSync(path, 'utf8'), { name: path, readInclude, into: root });
  }
  return root;
}

/** The tskrb settings of the krb5.conf files named by KRB5_CONFIG (or /etc/krb5.conf). */
export function loadKrb5Conf(env: NodeJS.ProcessEnv = process.env): Krb5Settings {
  return krb5Settings(loadKrb5Profile(krb5ConfigPaths(env)));
}
