import { describe, expect, it } from 'vitest';
import { firstLine, ioFor } from '../../src/cli/node-io.js';
import { utf8 } from '../../src/util/bytes.js';

describe('node io', () => {
  it.each([
    ['secret\n', 'secret'],
    ['secret\r\nmore\n', 'secret'],
    ['no newline', 'no newline'],
    ['', ''],
    ['  spaces kept  \n', '  spaces kept  '],
  ])('the first line of %j is %j', (text, line) => {
    expect(firstLine(utf8(text))).toBe(line);
  });

  it('colours only when asked or on a TTY without NO_COLOR, never with --no-color', () => {
    expect(ioFor(['x', '--color']).color).toBe(true);
    expect(ioFor(['x', '--no-color']).color).toBe(false);
  });
});
