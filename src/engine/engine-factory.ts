import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { createExpressions } from '../expressions';

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
  /** Told of every script the engine was asked to run (and refused), before the element fails. */
  onScriptRefused?: (error: ScriptRefusedError) => void;
}

/** A script of a diagram that the engine was asked to run. */
export class ScriptRefusedError extends Error {
  constructor(
    readonly elementId: string,
    readonly elementType: string,
    readonly language: string | undefined,
  ) {
    super(`Element "${elementId}" (${elementType}) carries a script${language ? ` (${language})` : ''}; scripts are not run: diagrams carry no code`);
    this.name = 'ScriptRefusedError';
  }
}

/**
 * The engine's `scripts` option: every script is refused. bpmn-engine's default runs scripts in
 * node:vm, which is no security boundary (a script reached `process` through a constructor and
 * read the users file); reglament/no-script refuses them at deployment, and this is the second
 * wall should a diagram get past the linter. bpmn-elements registers every script task, every
 * sequence flow and every script of a conditional event; only those that carry a script get a
 * (refusing) script, so expression conditions stay expressions.
 */
class RefusingScripts {
  private readonly scripts = new Map<string, { execute(context: unknown, callback: (error: Error) => void): void }>();

  constructor(private readonly onRefused?: (error: ScriptRefusedError) => void) {}

  register(element: { id: string; type: string; behaviour?: any }): unknown {
    const { id, type, behaviour } = element;
    let language: string | undefined;
    if (type === 'bpmn:SequenceFlow') {
      language = behaviour?.conditionExpression?.language;
      if (!language) return undefined;
    } else {
      // A script task with or without a script (bpmn-engine would pass an empty one through), a
      // conditional event's script condition.
      language = behaviour?.scriptFormat;
    }
    const onRefused = this.onRefused;
    const script = {
      execute(_context: unknown, callback: (error: Error) => void) {
        const error = new ScriptRefusedError(id, type, language);
        onRefused?.(error);
        callback(error);
      },
    };
    this.scripts.set(id, script);
    return script;
  }

  getScript(_language: string | undefined, element: { id: string }): unknown {
    return this.scripts.get(element.id);
  }
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
    scripts: new RefusingScripts(parts.onScriptRefused),
    ...engineLogger,
    // The host owns every timer (see DEVELOPERS.md); the engine's built-in timers are not armed.
    timers: new (elements as any).Timers({ setTimeout: () => undefined, clearTimeout: () => undefined }),
  } as any);
}
