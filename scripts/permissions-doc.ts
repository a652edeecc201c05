// Writes docs/permissions.md from server/plugins/permissions.ts.
import fs from 'node:fs';
import path from 'node:path';
import { renderPermissionsDoc } from '../server/plugins/permissions-doc.ts';

const file = path.resolve(import.meta.dirname, '..', 'docs', 'permissions.md');
fs.writeFileSync(file, renderPermissionsDoc());
console.log(`wrote ${file}`);
