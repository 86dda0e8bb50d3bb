import * as elements from 'bpmn-elements';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { moddle, ModdleContext } from '../definitions/moddle';

/** The serialized definition bpmn-engine runs from; one per deployed version. */
export type SourceContext = unknown;

const typeResolver = TypeResolver(elements as Record<string, unknown>);

/** By the parse it was serialised from: a deployed version's one parse gives one source context. */
const serialized = new WeakMap<object, SourceContext>();

/**
 * The source context of a loaded definition, serialised from the moddle context of the version's
 * one parse (definitions/) rather than from its XML again. The same context gives the same object,
 * which is what lets a kept engine serve the next step (engine-cache.ts).
 */
export function sourceContextOf(definition: { moddleContext: ModdleContext }): SourceContext {
  const { moddleContext } = definition;
  let context = serialized.get(moddleContext);
  if (context === undefined) {
    context = Serializer(moddleContext as any, typeResolver);
    serialized.set(moddleContext, context);
  }
  return context;
}

/** Parses and serialises a diagram outside a deployment (engine tests, the bare engine of the benchmark). */
export async function buildSourceContext(xml: string): Promise<SourceContext> {
  return sourceContextOf({ moddleContext: await moddle.fromXML(xml) });
}
