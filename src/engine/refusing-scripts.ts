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
export class RefusingScripts {
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
