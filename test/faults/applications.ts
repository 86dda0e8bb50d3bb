import type { FormField } from '../../src/definitions/model';
import { formValues, randomValue } from '../support/form-values';
import { declaredIn, startFormOf } from '../support/reglament-driver';
import { cmsOver, credentialsOf, signerCertificate } from '../support/signing';
import type { SimulatorControl } from '../support/simulators';
import { userOf } from '../support/test-host';
import { Cut, FaultClient, sleep } from './client';
import type { Tally } from './tally';

export interface Application {
  key: string;
  businessKey: string;
  variables: Record<string, unknown>;
  rootId?: string;
  done: boolean;
  error?: string;
}

/** The start form of every reglament, read from what the server deployed. */
export async function startFormsOf(api: FaultClient, reglaments: string[]): Promise<Map<string, FormField[]>> {
  const reader = { call: (user: string | null, _method: string, route: string) => api.read(user ?? 'admin', route) };
  const forms = new Map<string, FormField[]>();
  for (const key of reglaments) forms.set(key, (await startFormOf(reader, key)).fields);
  return forms;
}

/**
 * Drives applications as a careful client does while the server is killed: a request the kill cut
 * off is checked before it is repeated, a repeated start carries the same Idempotency-Key, a
 * repeated completion the same values. Values are drawn from the seeded generator, so refusals and
 * approvals both happen.
 */
export class ApplicationClient {
  readonly applications: Application[] = [];
  private readonly taskForms = new Map<string, FormField[]>();
  /** Signing steps by task id: the kind of document their person signs. */
  private readonly taskSigns = new Map<string, string>();
  private readonly taskValues = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly api: FaultClient,
    private readonly tally: Tally,
    private readonly o: { seed: number; random: () => number; reglaments: string[]; startForms: Map<string, FormField[]>; sim: SimulatorControl; users: Set<string> },
  ) {}

  /** The next application: every reglament in turn, each with a fresh applicant prepared in the simulators. */
  async make(): Promise<Application> {
    const { random, reglaments, startForms, sim, seed } = this.o;
    const i = this.applications.length;
    const key = reglaments[i % reglaments.length];
    const fields = startForms.get(key)!;
    const chosen = formValues(fields, {}, randomValue(random));
    const kindField = fields.find((f) => f.id === 'applicantKind');
    const kind = (kindField ? chosen.applicantKind : random() < 0.5 ? 'individual' : 'legal-entity') as 'individual' | 'legal-entity';
    const app: Application = { key, businessKey: `FI-${seed}-${i}`, variables: {}, done: false };
    this.applications.push(app);
    const applicant = await sim.prepareApplicant({ kind, processKey: key });
    app.variables = { ...chosen, ...declaredIn(fields, applicant) };
    return app;
  }

  /** Starts the application and completes its tasks until its top-level instance has ended. */
  async drive(app: Application): Promise<void> {
    const api = this.api;
    await this.start(app);
    for (let round = 0; round < 500; round++) {
      const root = (await api.read('admin', `/process-instances/${app.rootId}`)).body;
      if (root.state !== 'running') {
        app.done = true;
        return;
      }
      const tasks = (await api.read('admin', `/tasks?businessKey=${encodeURIComponent(app.businessKey)}&maxResults=1000`)).body.items as any[];
      if (tasks.length === 0) {
        await this.retryIncident(app);
        await sleep(20);
        continue;
      }
      for (const task of tasks) await this.complete(app, task);
    }
    throw new Error(`${app.businessKey} (${app.key}) did not finish in 500 rounds`);
  }

  private async rootOf(app: Application): Promise<any | undefined> {
    const items = (await this.api.read('admin', `/process-instances?businessKey=${encodeURIComponent(app.businessKey)}&maxResults=1000`)).body.items as any[];
    const roots = items.filter((i) => !i.parentInstanceId);
    if (roots.length > 1) this.tally.fail(`${app.businessKey}: ${roots.length} root instances (a start was applied twice)`);
    return roots[0];
  }

  private async start(app: Application): Promise<void> {
    // A request the kill cut off is sent again with the same Idempotency-Key: the server answers
    // with the instance the first one made (200) or, if the kill discarded it, makes the same one.
    for (;;) {
      try {
        const res = await this.api.once(userOf('office'), 'POST', `/process-definitions/${app.key}/start`, { businessKey: app.businessKey, variables: app.variables }, { 'idempotency-key': app.businessKey });
        if (res.status !== 201 && res.status !== 200) throw new Error(`start ${app.key}: ${res.status} ${JSON.stringify(res.body)}`);
        app.rootId = res.body.id;
        if (res.status === 201) this.tally.steps++;
        else this.tally.replayedStarts++;
        await this.rootOf(app); // fails the run if a start was applied twice
        return;
      } catch (error) {
        if (!(error instanceof Cut)) throw error;
        this.tally.cut++;
      }
    }
  }

  private async complete(app: Application, task: any): Promise<void> {
    if (!this.taskForms.has(task.id)) {
      const full = await this.api.read('admin', `/tasks/${task.id}`);
      if (full.status !== 200) throw new Error(`task ${task.id}: ${full.status}`);
      this.taskForms.set(task.id, full.body.formFields as FormField[]);
      if (full.body.signs) this.taskSigns.set(task.id, full.body.signs);
    }
    const group = (task.candidateGroups as string[])[0] ?? 'admin';
    const user = this.o.users.has(userOf(group)) ? userOf(group) : 'admin';
    // A retry after a kill sends the same values, as a careful client repeats the same request.
    if (!this.taskValues.has(task.id)) this.taskValues.set(task.id, formValues(this.taskForms.get(task.id)!, {}, randomValue(this.o.random)));
    const variables = this.taskValues.get(task.id)!;
    try {
      // A signing step: the user's EDS over the draft the server keeps (fetched again after a kill: the same bytes).
      const res = this.taskSigns.has(task.id) ? await this.sign(user, task.id) : await this.api.once(user, 'POST', `/tasks/${task.id}/complete`, { variables });
      if (res.status === 200) {
        this.tally.steps++;
        this.tally.acknowledged.push({ taskId: task.id, instanceId: task.processInstanceId, activityId: task.taskDefinitionKey, label: `${app.key}/${task.taskDefinitionKey}` });
      } else if (res.status !== 409) throw new Error(`complete ${app.key}/${task.taskDefinitionKey}: ${res.status} ${JSON.stringify(res.body)}`);
    } catch (error) {
      if (!(error instanceof Cut)) throw error;
      this.tally.cut++; // the next round reloads the tasks: completed, or still open and tried again
    }
  }

  private async sign(user: string, taskId: string) {
    const draft = await this.api.bytes(user, `/tasks/${taskId}/draft.pdf`);
    if (draft.status !== 200) return { status: draft.status, body: Buffer.from(draft.bytes).toString('utf8') };
    const cms = await cmsOver(draft.bytes, credentialsOf(await signerCertificate(this.o.sim.simulators.ca, user)));
    return this.api.once(user, 'POST', `/tasks/${taskId}/sign`, { cms });
  }

  /** No open task: an incident of the application's tree (a step the kill cut off left one) is retried. */
  private async retryIncident(app: Application): Promise<void> {
    const api = this.api;
    const tree = new Set(((await api.read('admin', `/process-instances?businessKey=${encodeURIComponent(app.businessKey)}&maxResults=1000`)).body.items as any[]).map((i) => i.id));
    const mine = ((await api.read('admin', `/incidents`)).body as any[]).filter((i) => tree.has(i.processInstanceId));
    if (mine.length === 0) return;
    try {
      await api.once('admin', 'POST', `/process-instances/${mine[0].processInstanceId}/retry`);
    } catch (error) {
      if (!(error instanceof Cut)) throw error;
    }
  }
}
