import type { Locale } from 'antd/es/locale/index.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import enUSModule from 'antd/es/locale/en_US.js';

// antd's es/ files are ES modules in a package without "type": "module": TypeScript (NodeNext) reads their default
// export as a CommonJS namespace, while Vite hands over the locale itself. Accept both shapes.
const unwrap = (m: unknown): Locale => ((m as { default?: Locale }).default ?? m) as Locale;

export const antdZhCN = unwrap(zhCNModule);
export const antdEnUS = unwrap(enUSModule);
