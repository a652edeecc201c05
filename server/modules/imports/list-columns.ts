// The columns of an office's two other first-day workbooks: its list of units (单位名单) and its list of reporter
// accounts (填报人员名单). Same header matching as the project list (columns.ts), own fields.

import type { FieldDef } from './columns.ts';

const text = (key: string, label: string, patterns: RegExp[], maxLength = 100): FieldDef => ({ key, label, kind: 'text', patterns, maxLength });

/** 单位类型 as offices write it → the unit kind stored (units.kind). Blank: guessed from the name. */
export const UNIT_KIND_CODES: Record<string, string> = {
  部门: 'department', 县直部门: 'department', 市直部门: 'department', 区直部门: 'department', 行政机关: 'department', 事业单位: 'department', 机关: 'department',
  乡镇: 'township', 街道: 'township', '乡镇(街道)': 'township', 乡镇街道: 'township', 镇: 'township', 乡: 'township',
  国有企业: 'company', 国企: 'company', 企业: 'company', 公司: 'company', 平台公司: 'company',
  园区: 'park', 开发区: 'park', 管委会: 'park', 产业园区: 'park',
  其他: 'other',
};

/** 单位名单: one row per unit. */
export const UNIT_LIST_FIELDS: FieldDef[] = [
  text('name', '单位名称', [/^(单位|部门|机构)(全称|名称)$/, /^单位$/, /^名称$/], 100),
  text('short_name', '简称', [/^(单位)?简称$/], 40),
  { key: 'kind', label: '单位类型', kind: 'coded', patterns: [/^(单位)?(类型|类别|性质)$/], codes: UNIT_KIND_CODES },
  text('region', '所属地区', [/^(所属|所在)?(地区|区域|区划|行政区划|乡镇|乡镇街道|县区|区县)$/], 60),
  text('parent', '上级单位', [/^(上级|主管)(单位|部门)?$/, /^上级主管(单位|部门)$/, /^隶属单位$/], 100),
  text('contact_name', '联系人', [/^(联系人|负责人)(姓名)?$/], 40),
  text('contact_phone', '联系电话', [/^(联系)?(电话|手机|手机号码?|方式)$/, /^联系方式$/], 40),
];

/** Roles a user list may create: the business roles. The 三员 are created one by one, never from a list. */
export const LIST_ROLE_CODES: Record<string, string> = {
  填报员: 'reporter', 责任单位填报员: 'reporter', 填报人: 'reporter', 联络员: 'reporter', 信息员: 'reporter', 项目联络员: 'reporter',
  领导: 'leader', 分管领导: 'leader', 包保领导: 'leader', 挂钩领导: 'leader',
  督查室: 'supervisor', 督查: 'supervisor', 督查人员: 'supervisor',
  发改局: 'office', 重点项目办: 'office', '发改局(重点项目办)': 'office', 项目办: 'office',
};

/** 填报人员名单: one row per account. */
export const USER_LIST_FIELDS: FieldDef[] = [
  text('unit', '单位', [/^(所属|所在|填报|责任)?单位(名称)?$/, /^部门$/], 100),
  text('name', '姓名', [/^(姓名|填报人|联络员|联系人|用户姓名|人员姓名)(姓名)?$/], 40),
  text('phone', '手机', [/^(手机|手机号|手机号码|联系电话|电话|移动电话)$/], 40),
  text('username', '用户名', [/^(用户名|账号|帐号|登录名|登录账号)$/], 64),
  { key: 'role', label: '角色', kind: 'coded', patterns: [/^(角色|用户角色|账号类型|身份)$/], codes: LIST_ROLE_CODES },
];
