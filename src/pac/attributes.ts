/** PAC_ATTRIBUTES_INFO (MS-PAC 2.14): whether the client asked for the PAC. */
import { NdrSize, PacAttributeFlag } from './constants.js';
import { NdrReader } from './ndr.js';

/** PAC_ATTRIBUTES_INFO: FlagsLength bits in 32-bit words, with the two defined bits decoded. */
export interface PacAttributesInfo {
  flagsLength: number;
  flags: number[];
  pacWasRequested: boolean;
  pacWasGivenImplicitly: boolean;
}

const BITS_PER_WORD = 32;

/** Decodes a PAC_ATTRIBUTES_INFO buffer, which the flag words must fill exactly. */
export function decodeAttributesInfo(data: Uint8Array, base = 0): PacAttributesInfo {
  const r = new NdrReader(data, base);
  const flagsLength = r.u32();
  const words = Math.ceil(flagsLength / BITS_PER_WORD);
  if (words * NdrSize.u32 !== r.remaining) {
    r.fail(`PAC_ATTRIBUTES_INFO: ${flagsLength} flag bits need ${words} words, ${r.remaining} bytes left`);
  }
  const flags: number[] = [];
  for (let i = 0; i < words; i++) flags.push(r.u32());
  const first = flags[0] ?? 0;
  return {
    flagsLength,
    flags,
    pacWasRequested: (first & PacAttributeFlag.PacWasRequested) !== 0,
    pacWasGivenImplicitly: (first & PacAttributeFlag.PacWasGivenImplicitly) !== 0,
  };
}
