/** Shapes the API answers with. Money is integer yuan everywhere. */

export type Role = 'sysadmin' | 'secadmin' | 'auditor' | 'office' | 'reporter' | 'leader' | 'supervisor';

export interface CurrentUser {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
}

export interface Region {
  code: string;
  name: string;
  parent_code: string | null;
  level: number;
  path: string;
}

export interface Unit {
  id: number;
  name: string;
  short_name: string | null;
  parent_id: number | null;
  region_code: string | null;
  kind: string;
  path: string;
  sort: number;
}

export interface Project {
  id: number;
  code: string | null;
  name: string;
  region_code: string;
  unit_id: number;
  nature: string | null;
  category: string | null;
  total_investment: number;
  scope_content: string | null;
  stage: string;
  tier: string;
  list_year: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

export interface ProjectList {
  items: Project[];
  totals: { count: number; total_investment: number };
}

export interface ProjectListQuery {
  region?: string;
  unit?: number;
  stage?: string;
  q?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  page?: number;
  page_size?: number;
}

/** Fields the edit form may send; total_investment in yuan. */
export interface ProjectPatch {
  name?: string;
  code?: string | null;
  region_code?: string;
  unit_id?: number;
  nature?: string | null;
  category?: string | null;
  total_investment?: number;
  scope_content?: string | null;
}
