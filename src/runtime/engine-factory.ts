import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { createExpressions } from './expressions';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const camunda = require('camunda-bpmn-moddle/resources/camunda.json');

export const moddleOptions = { camunda };

/** The serialized definition bpmn-engine runs from; built once per deployed version. */
export type SourceContext = unknown;

const typeResolver = TypeResolver(elements as Record<string, unknown>);
const expressions = createExpressions();

export async function buildSourceContext(xml: string): Promise<SourceContext> {
  const moddle = new BpmnModdle(moddleOptions);
  const moddleContext = await moddle.fromXML(xml);
  return Serializer(moddleContext, typeResolver);
}

export type EngineExtension = (activity: any, context: any) => void;

export interface EngineParts {
  name: string;
  sourceContext: SourceContext;
  extensions: Record<string, EngineExtension>;
}

/**
 * bpmn-engine makes three `debug` loggers per element per engine, each asking whether stderr is a
 * terminal: a tenth of a step's time in the profile (docs/performance.md). They stay when DEBUG
 * asks for the engine's output (DEBUG=bpmn-engine:*); otherwise the engine logs to nowhere.
 */
const engineDebugWanted = /bpmn|\*/.test(process.env.DEBUG ?? '');
const silent = () => ({ debug() {}, error() {}, warn() {} });
/** The engine option that picks the logger (also given to the bare engine of the benchmark, for a like-for-like comparison). */
export const engineLogger: { Logger?: typeof silent } = engineDebugWanted ? {} : { Logger: silent };

/**
 * One Engine per step of one instance. Nothing engine-side outlives the step: services and
 * extensions are not part of the saved state, so they are passed again every time.
 */
export function createEngine(parts: EngineParts): Engine {
  return new Engine({
    name: parts.name,
    sourceContext: parts.sourceContext,
    moddleOptions,
    expressions,
    extensions: parts.extensions,
    ...engineLogger,
    // The host owns every timer (see DEVELOPERS.md); the engine's built-in timers are not armed.
    timers: new (elements as any).Timers({ setTimeout: () => undefined, clearTimeout: () => undefined }),
  } as any);
}
