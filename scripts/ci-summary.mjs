// Prints "N passed, N failed" from vitest's JSON report; exits 1 when the report is missing,
// any test failed, or a test file failed to load.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.log(`no test report at ${file}: ${e.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
let failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A suite that fails to load has no tests to count; count it as a failure.
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && (r.assertionResults ?? []).every((a) => a.status !== 'failed'),
);
for (const r of brokenFiles) console.log(`failed to run: ${r.name}: ${(r.message ?? '').split('\n')[0]}`);
failed += brokenFiles.length;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
