// Prints the failed tests of the given Vitest JSON reports, one line each with its file and the first line of its
// error, so the tail of a CI log (often all that is kept) names what failed. Prints nothing when all passed.
import fs from 'node:fs';
import path from 'node:path';

interface VitestJson {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string; fullName: string; duration?: number; failureMessages?: string[] }[];
  }[];
}

const firstLine = (text: string | undefined): string =>
  (text ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';

for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    console.log(`✗ ${path.basename(file)}: no report (the run did not finish)`);
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as VitestJson;
  const run = path.basename(file, '.json');
  for (const testFile of report.testResults) {
    const where = path.relative(process.cwd(), testFile.name);
    const failed = testFile.assertionResults.filter((a) => a.status === 'failed');
    if (testFile.status === 'failed' && failed.length === 0) {
      console.log(`✗ [${run}] ${where}: ${firstLine(testFile.message)}`);
    }
    for (const test of failed) {
      const took = test.duration === undefined ? '' : ` (${Math.round(test.duration)} ms)`;
      console.log(`✗ [${run}] ${where} › ${test.fullName}${took}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
}
