/** The demo recording `tskrb demo` replays (the Samba lab's S4U flow, with its throwaway lab keys). */
import { type DemoRecording, shippedRecording } from '../src/cli/demo/recording.js';

const shipped = shippedRecording();
if (shipped === undefined) throw new Error('this build carries no demo recording');
/** The shipped recording. */
export const DEMO_RECORDING: DemoRecording = shipped;
