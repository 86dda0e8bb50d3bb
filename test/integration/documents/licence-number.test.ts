import { completeToEnd, httpPort, startApplication } from '../../support/reglament-driver';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * One licence, one number (issue 17): the number E-licensing assigns is the only one the case
 * carries: in its variables, in the history and in the signed result document.
 */
const KEY = 'cotton-warehouse-license';
const LICENCE_NUMBER = /\b[A-Z]*-?LIC-[A-Z0-9-]+/g;

describe('the licence number of a finished cotton licence', () => {
  let t: TestHost;
  afterAll(async () => t?.close());

  it('is the one E-licensing gave, and the history and the variables show no other', async () => {
    t = await startTestHost();
    const started = await startApplication(t, KEY, { businessKey: 'ONE-NUMBER-1', starter: 'olga-office', channel: 'office', form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const done = await completeToEnd(httpPort(t), { key: KEY, businessKey: 'ONE-NUMBER-1', instanceId: started.body.id });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });

    const elicense = [...t.simulators.elicense.requests.values()].find((r) => r.requestId === started.body.id);
    expect(elicense?.licenceNumber).toMatch(/^KZ-LIC-/);
    expect(done.variables.licenceNumber).toBe(elicense!.licenceNumber);

    const history = (await t.call('admin', 'GET', `/process-instances/${started.body.id}/history`)).body;
    const instances = (await t.call('admin', 'GET', `/process-instances?businessKey=ONE-NUMBER-1&maxResults=100`)).body.items as { id: string; variables?: unknown }[];
    const everywhere = [JSON.stringify(history), JSON.stringify(done.variables)];
    for (const instance of instances) {
      everywhere.push(JSON.stringify((await t.call('admin', 'GET', `/process-instances/${instance.id}/history`)).body));
      everywhere.push(JSON.stringify((await t.call('admin', 'GET', `/process-instances/${instance.id}`)).body.variables));
    }
    const numbers = new Set(everywhere.flatMap((text) => text.match(LICENCE_NUMBER) ?? []));
    expect([...numbers]).toEqual([elicense!.licenceNumber]);
  });
});
