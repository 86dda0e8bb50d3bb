/**
 * The floor of ratio 1: bare bpmn-engine running the same diagrams in memory with the same
 * handlers. One Engine per instance lives from start to end (nothing is stored or recovered); a
 * user task is completed by signalling its waiting activity with the positive values; a call
 * activity starts the called diagram as another in-memory Engine with the caller's variables and
 * its Camunda inputs, and is signalled with the child's variables when the child ends (what the
 * host does across its child instances, without the database). What bpmn-engine cannot do by
 * itself is added the way the host adds it, as small extensions: the service-task Service that
 * calls the handler registry, and assigning the variables a signal carries. Expressions are the
 * host's `${...}` evaluator (the diagrams' conditions need it). Timers are not armed (as in the
 * host); a timeDate already past completes at once in bpmn-elements.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import { BusinessError, HandlerRegistry, Variables } from '../../src/handlers/registry';
import { engineLogger, moddleOptions } from '../../src/engine/engine-factory';
import { createExpressions } from '../../src/expressions';
import { userVariables } from '../../src/engine/process-variables';
import { formValues, positiveValue } from '../support/form-values';
import type { PreparedApplicant } from '../support/simulators';
import { Catalog, CatalogEntry } from './catalog';
import { startVariables, starterOf } from './drive';

const expressions = createExpressions();

export interface BareOptions {
  catalog: Catalog;
  handlers: HandlerRegistry;
  /** Called at each user task wait with the default getState() JSON length of every engine of the run. */
  measureState?: (rootKey: string, taskKey: string, bytes: number) => void;
}

interface BareContext {
  options: BareOptions;
  rootKey: string;
  businessKey: string;
  startedBy: string;
  /** Engines of the run that are still running (the root and its children). */
  engines: Set<any>;
  tasks: number;
}

function processVariables(engine: any): Variables {
  const merged: Variables = {};
  for (const process of engine.execution?.definitions?.[0]?.getProcesses?.() ?? []) Object.assign(merged, userVariables(process.environment?.variables));
  return merged;
}

function extensionsFor(ctx: BareContext, entry: CatalogEntry, instanceId: string) {
  const handlers = ctx.options.handlers;
  return {
    assignTaskVariables: (activity: any) => {
      if (activity.type !== 'bpmn:UserTask' && activity.type !== 'bpmn:CallActivity') return;
      activity.on('end', (api: any) => {
        const assigned = api.content?.output?.variables;
        if (assigned && typeof assigned === 'object') Object.assign(activity.environment.variables, assigned);
      });
    },
    serviceHandlers: (activity: any) => {
      if (activity.type !== 'bpmn:ServiceTask') return;
      const topic: string | undefined = activity.behaviour?.topic;
      activity.behaviour.Service = function HandlerService() {
        return {
          type: 'bench:handler',
          execute: (_message: any, callback: (err: unknown, output?: unknown) => void) => {
            const registration = topic ? handlers.get(topic) : undefined;
            if (!registration) return callback(new Error(`handler ${topic} is not registered`));
            registration
              .handler({
                instanceId,
                businessKey: ctx.businessKey,
                processDefinitionKey: entry.key,
                startedBy: ctx.startedBy,
                rootProcessDefinitionKey: ctx.rootKey,
                properties: entry.model.serviceTasks.get(activity.id)?.properties ?? {},
                activityId: activity.id,
                activityName: activity.name,
                variables: userVariables(activity.environment.variables),
                now: new Date(),
              })
              .then(
                (output) => {
                  Object.assign(activity.environment.variables, output ?? {});
                  callback(null, output ?? {});
                },
                (err: unknown) => {
                  if (err instanceof BusinessError) {
                    Object.assign(activity.environment.variables, err.variables, { lastErrorCode: err.code, lastErrorMessage: err.message });
                    return callback(Object.assign(new Error(err.message), { code: err.code, name: 'BusinessError' }));
                  }
                  callback(err);
                },
              );
          },
        };
      };
    },
  };
}

async function measure(ctx: BareContext, taskKey: string): Promise<void> {
  if (!ctx.options.measureState) return;
  let bytes = 0;
  for (const engine of ctx.engines) bytes += Buffer.byteLength(JSON.stringify(await engine.getState()), 'utf8');
  ctx.options.measureState(ctx.rootKey, taskKey, bytes);
}

/** Runs one process (and, through its call activities, its children) to its end; resolves its end event and variables. */
function runProcess(ctx: BareContext, key: string, variables: Variables): Promise<{ outcome: string | null; variables: Variables }> {
  const entry = ctx.options.catalog.byKey.get(key);
  if (!entry) return Promise.reject(new Error(`no diagram with key ${key}`));
  const instanceId = randomUUID();
  return new Promise((resolve, reject) => {
    let lastEnd: string | null = null;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const engine: any = new Engine({
      name: instanceId,
      sourceContext: entry.sourceContext,
      moddleOptions,
      expressions,
      extensions: extensionsFor(ctx, entry, instanceId),
      ...engineLogger,
      timers: new (elements as any).Timers({ setTimeout: () => undefined, clearTimeout: () => undefined }),
    } as any);
    ctx.engines.add(engine);
    const listener = new EventEmitter();
    listener.on('activity.end', (api: any) => {
      // An error end event reports its event definition's type; find end events by id, as the host does.
      if (entry.model.endEvents.has(api.id)) lastEnd = api.id;
    });
    listener.on('activity.wait', (api: any) => {
      if (api.type !== 'bpmn:UserTask') return;
      const fields = entry.model.userTasks.get(api.id)?.formFields ?? [];
      setImmediate(() => {
        measure(ctx, api.id)
          .then(() => {
            ctx.tasks++;
            api.signal({ variables: formValues(fields, {}, positiveValue) });
          })
          .catch(fail);
      });
    });
    listener.on('activity.call', (api: any) => {
      const call = entry.model.callActivities.get(api.id);
      const caller = processVariables(engine);
      const inputs: Variables = {};
      for (const input of call?.inputs ?? []) {
        if (input.sourceExpression !== undefined) inputs[input.target] = expressions.resolveExpression(input.sourceExpression, { environment: { variables: caller } });
        else if (input.source !== undefined) inputs[input.target] = caller[input.source];
      }
      setImmediate(() => {
        runProcess(ctx, call?.calledElement ?? String(api.content?.calledElement), { ...caller, ...inputs })
          .then((child) => {
            const errorCode = child.outcome ? ctx.options.catalog.byKey.get(call!.calledElement!)?.model.endEvents.get(child.outcome)?.errorCode : undefined;
            if (errorCode) api.sendApiMessage('error', { message: errorCode, code: errorCode, name: 'BpmnError' });
            else api.signal({ variables: child.variables });
          })
          .catch(fail);
      });
    });
    engine.once('end', () => {
      ctx.engines.delete(engine);
      resolve({ outcome: lastEnd, variables: processVariables(engine) });
    });
    engine.once('error', (err: unknown) => {
      ctx.engines.delete(engine);
      fail(err);
    });
    engine.execute({ listener, variables } as any).catch(fail);
  });
}

export async function bareRun(options: BareOptions, entry: CatalogEntry, applicant: PreparedApplicant, businessKey: string): Promise<{ key: string; outcome: string | null; tasks: number }> {
  const ctx: BareContext = { options, rootKey: entry.key, businessKey, startedBy: starterOf(options.catalog), engines: new Set(), tasks: 0 };
  const { outcome } = await runProcess(ctx, entry.key, startVariables(entry, applicant));
  return { key: entry.key, outcome, tasks: ctx.tasks };
}
