/**
 * The one moddle set-up: bpmn-moddle with the Camunda extension. Deployments, lint and the engine read
 * a diagram through this instance (the engine serialises the context of the same parse), so a
 * `camunda:*` attribute means the same thing everywhere.
 */
import BpmnModdle from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json';

/** The moddle packages beyond BPMN 2.0; bpmn-engine's `moddleOptions` take the same. */
export const moddleExtensions = { camunda };

/** Stateless between `fromXML` calls, so every parse shares it. */
export const moddle = new BpmnModdle(moddleExtensions);

/** What one `fromXML` of a whole document yields: the root element, references, warnings, elements by id. */
export type ModdleContext = Awaited<ReturnType<typeof moddle.fromXML>>;
