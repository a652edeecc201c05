// Prints "passed failed" from a Vitest JSON report: failed tests plus test files that failed without a failing
// test (an import error or a failing hook), so a broken file is never silently counted as zero.
import fs from 'node:fs';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { status: string; assertionResults: { status: string }[] }[];
}

const report = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as VitestJson;
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed'),
).length;
console.log(report.numPassedTests, report.numFailedTests + brokenFiles);
