import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import { moddleExtensions } from '../definitions/moddle';
import { createExpressions } from '../expressions';
import { RefusingScripts, ScriptRefusedError } from './refusing-scripts';
import { SourceContext } from './source-context';

export { ScriptRefusedError } from './refusing-scripts';

/** bpmn-engine's moddle options: the same extensions every parse of the host reads a diagram with. */
export const moddleOptions = moddleExtensions;

const expressions = createExpressions();

export type EngineExtension = (activity: any, context: any) => void;

export interface EngineParts {
  name: string;
  sourceContext: SourceContext;
  extensions: Record<string, EngineExtension>;
  /** Told of every script the engine was asked to run (and refused), before the element fails. */
  onScriptRefused?: (error: ScriptRefusedError) => void;
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
 * A new Engine for one instance. Services and extensions are not part of the saved state, so an
 * engine recovered from a stored state gets them again here.
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
    // The host owns every timer (README.md, "Host timers"); the scheduler fires them; the engine's built-in timers are not armed.
    timers: new (elements as any).Timers({ setTimeout: () => undefined, clearTimeout: () => undefined }),
  } as any);
}
