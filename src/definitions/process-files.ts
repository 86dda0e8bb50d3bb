import fs from 'node:fs';
import path from 'node:path';
import { DeploymentResource } from './definition-service';

/** Every `*.bpmn` below a folder, named by its path relative to that folder (sorted, stable). */
export function readProcessFiles(dir: string): DeploymentResource[] {
  const found: DeploymentResource[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.bpmn')) {
        found.push({ name: path.relative(dir, full).split(path.sep).join('/'), source: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
