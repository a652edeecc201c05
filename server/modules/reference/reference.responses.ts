import { z } from 'zod';

// Response schemas of the reference routes (issue 15): the region tree with custom areas and the unit tree. They
// feed the OpenAPI document and so web/api/generated.ts.

const int = z.number().int();

/** A region (行政区划 or a custom area); search_text on lists and pickers: the folded name, full pinyin and initials, '|'-separated. */
export const regionSchema = z.object({
  code: z.string(), name: z.string(), parent_code: z.string().nullable(), level: int, is_custom: int, path: z.string(), search_text: z.string().optional(),
}).meta({ id: 'Region' });
export const regionListSchema = z.object({ items: z.array(regionSchema) });
/** A region with its ancestors, top first. */
export const regionDetailSchema = regionSchema.extend({ ancestors: z.array(z.object({ code: z.string(), name: z.string(), level: int })) }).meta({ id: 'RegionDetail' });
/** The lowest region holding every unit's and project's region (null when none or several provinces). */
export const dataRootSchema = z.object({ region: regionDetailSchema.nullable() });

/** A unit (单位) of the unit tree; search_text on the list: name and short name folded, in full pinyin and initials. */
export const unitSchema = z.object({
  id: int, name: z.string(), short_name: z.string().nullable(), parent_id: int.nullable(), region_code: z.string().nullable(), kind: z.string(), path: z.string(), sort: int,
  created_at: z.string(), deleted_at: z.string().nullable(), contact_name: z.string().nullable(), contact_phone: z.string().nullable(), search_text: z.string().optional(),
}).meta({ id: 'Unit' });
export const unitListSchema = z.object({ items: z.array(unitSchema) });
