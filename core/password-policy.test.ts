import { describe, expect, it } from 'vitest';
import { describePasswordPolicy, passwordProblems } from './password-policy.ts';

const policy = { minLength: 8, minClasses: 3 };

describe('password policy', () => {
  it('accepts a password with length and three classes', () => {
    expect(passwordProblems('Docket#2026', policy, 'office1')).toEqual([]);
    expect(passwordProblems('abcdef12!', policy)).toEqual([]);
  });
  it('names each problem in Chinese', () => {
    expect(passwordProblems('Ab1!', policy)).toEqual(['密码长度不足 8 位']);
    expect(passwordProblems('abcdefgh1', policy)).toEqual(['密码须至少包含大写字母、小写字母、数字、特殊字符中的 3 类（当前 2 类）']);
    expect(passwordProblems('Zhang.san2026', policy, 'zhang.san')).toEqual(['密码不得包含用户名']);
    expect(passwordProblems('Abc 12345', policy)).toEqual(['密码不得包含空格']);
  });
  it('counts Chinese characters as symbols and by code point', () => {
    expect(passwordProblems('密码Abc12', policy)).toEqual(['密码长度不足 8 位']);
    expect(passwordProblems('密码Abc123', policy)).toEqual([]);
  });
  it('describes the policy', () => {
    expect(describePasswordPolicy({ minLength: 10, minClasses: 4 })).toContain('至少 10 位');
  });
});
