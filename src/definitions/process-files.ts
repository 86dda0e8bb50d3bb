import { DeploymentResource } from './definition-service';
import { findBpmnFiles, readResources } from './lint/lint-files';

/** Every `*.bpmn` below a folder, named by its path relative to that folder (sorted, stable). */
export function readProcessFiles(dir: string): DeploymentResource[] {
  return readResources(findBpmnFiles(dir), dir).map((r) => ({ name: r.name.split('\\').join('/'), source: r.source }));
}
