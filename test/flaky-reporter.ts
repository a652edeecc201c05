// A Vitest reporter that records each test that failed and then passed on a retry (CI retries a failed test once),
// one line per test in .tmp/test-results/flaky.txt, so scripts/test.sh can name it at the end of the run: a retry
// keeps a loaded CI machine from refusing a whole submission for one timing accident, and the list keeps the
// accident visible so the test gets fixed.
import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';

const file = path.resolve('.tmp/test-results/flaky.txt');

export default class FlakyReporter implements Reporter {
  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (!diagnostic?.flaky) return;
    const where = path.relative(process.cwd(), testCase.module.moduleId);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // A passed test keeps the errors of its failed attempts: name the first, so the accident can be traced.
    const first = testCase.result().errors?.[0];
    const why = first ? ` — first attempt: ${(first.message ?? first.name ?? '').split('\n')[0]!.slice(0, 300)}` : '';
    fs.appendFileSync(file, `${where} › ${testCase.fullName} (passed on retry ${diagnostic.retryCount}, ${process.env.DOCKET_NOW ?? 'today'})${why}\n`);
  }
}
