/** What a password must satisfy (等保 2.0: complexity). The numbers come from the security settings. */
export interface PasswordPolicy {
  minLength: number;
  /** How many of the four character classes (upper, lower, digit, symbol) must appear. */
  minClasses: number;
}

const CLASSES: { label: string; test: RegExp }[] = [
  { label: '大写字母', test: /[A-Z]/ },
  { label: '小写字母', test: /[a-z]/ },
  { label: '数字', test: /[0-9]/ },
  { label: '特殊字符', test: /[^A-Za-z0-9]/ },
];

/** A one-line Chinese description of the policy, for hints and error messages. */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  return `密码至少 ${policy.minLength} 位，并至少包含大写字母、小写字母、数字、特殊字符中的 ${policy.minClasses} 类，且不得包含用户名`;
}

/** The Chinese problems of a password under the policy; empty when it is acceptable. */
export function passwordProblems(password: string, policy: PasswordPolicy, username?: string): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`密码长度不足 ${policy.minLength} 位`);
  const present = CLASSES.filter((c) => c.test.test(password)).length;
  if (present < policy.minClasses) {
    problems.push(`密码须至少包含大写字母、小写字母、数字、特殊字符中的 ${policy.minClasses} 类（当前 ${present} 类）`);
  }
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) problems.push('密码不得包含用户名');
  if (/\s/.test(password)) problems.push('密码不得包含空格');
  return problems;
}
