import { formValues } from './form-values';
import { openTasks, startFormOf, startValues, taskView } from './reglament-driver';
import { TestHost, tokenOf, userOf } from './test-host';

/** HTTP Basic with the user id and token, as a Camunda 7 client signs every call. */
export const basic = (user: string, password = tokenOf(user)) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface CamundaAnswer {
  status: number;
  headers: Headers;
  /** The JSON body, or undefined for an empty one. */
  body: any;
  text: string;
}

/** One request to /engine-rest as a Camunda 7 client sends it: Basic auth (unless `user` is null), JSON in and out. */
export async function camundaCall(t: Pick<TestHost, 'url'>, user: string | null, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<CamundaAnswer> {
  const sent: Record<string, string> = { accept: 'application/json', ...headers };
  if (user !== null) sent.authorization = basic(user);
  if (body !== undefined) sent['content-type'] = 'application/json';
  const response = await fetch(`${t.url}/engine-rest${route}`, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/**
 * Starts a cotton-warehouse-license application filed at the office (variant issue) through /api and
 * completes its steps, each by the user of its first candidate group with the first values of its
 * form, until the step `until` is open; answers that task's id and the instance.
 */
export async function cottonCaseAt(t: TestHost, businessKey: string, until: string): Promise<{ instanceId: string; taskId: string }> {
  const key = 'cotton-warehouse-license';
  const { fields } = await startFormOf(t, key);
  const variables = await startValues(t, key, fields, { start: { channel: 'office', variant: 'issue', resultForm: 'electronic' } });
  const started = await t.call('olga-office', 'POST', `/process-definitions/${key}/start`, { businessKey, variables });
  if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  for (let round = 0; round < 10; round++) {
    const open = await openTasks(t, businessKey);
    const target = open.find((task) => task.taskDefinitionKey === until);
    if (target) return { instanceId: started.body.id, taskId: target.id };
    if (open.length === 0) break;
    const task = await taskView(t, open[0].id);
    const user = userOf(task.candidateGroups[0] ?? 'admin');
    const done = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: formValues(task.formFields) });
    if (done.status !== 200) throw new Error(`complete ${task.taskDefinitionKey}: ${done.status} ${JSON.stringify(done.body)}`);
  }
  throw new Error(`${businessKey} never reached ${until}`);
}
