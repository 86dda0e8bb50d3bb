import path from 'node:path';
import { createDefaultHandlers } from '../../src/handlers';
import { BusinessError } from '../../src/handlers/registry';
import { startTestHost, TestHost } from '../support/test-host';

describe('business errors from handlers', () => {
  let t: TestHost;
  const calls: string[] = [];
  beforeAll(async () => {
    const handlers = createDefaultHandlers().register('test.check-payment', 'Test payment check', async ({ variables, instanceId }) => {
      calls.push(instanceId);
      if (variables.paid !== true) throw new BusinessError('NOT_PAID', 'No payment was found for the request');
      return { paymentChecked: true };
    }, ['paymentChecked']);
    t = await startTestHost({ processesDir: path.resolve(__dirname, '../fixtures/processes/business-error'), handlers });
  });
  afterAll(() => t.close());

  it('routes a BusinessError to the error boundary event whose error code matches', async () => {
    const unpaid = await t.call('olga-office', 'POST', '/process-definitions/test-payment/start', { variables: { paid: false } });
    expect(unpaid.status).toBe(201);
    expect(unpaid.body.state).toBe('running');
    expect(unpaid.body.activeActivities).toEqual([expect.objectContaining({ id: 'handle-unpaid' })]);
    const instance = await t.call('admin', 'GET', `/process-instances/${unpaid.body.id}`);
    expect(instance.body.variables).toMatchObject({ lastErrorCode: 'NOT_PAID', lastErrorMessage: 'No payment was found for the request' });
    const history = (await t.call('admin', 'GET', `/process-instances/${unpaid.body.id}/history`)).body;
    expect(history).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'business-error', activityId: 'check-payment', data: expect.objectContaining({ code: 'NOT_PAID' }) })]));
  });

  it('takes the normal flow when the handler succeeds', async () => {
    const paid = await t.call('olga-office', 'POST', '/process-definitions/test-payment/start', { variables: { paid: true } });
    expect(paid.body).toMatchObject({ state: 'completed', outcome: 'paid' });
  });

  it('a handler that fails technically opens an incident; an admin retries it once the system is back', async () => {
    let down = true;
    const handlers = createDefaultHandlers().register('test.check-payment', 'Down until told otherwise', async () => {
      if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      return { paymentConfirmed: true };
    }, ['paymentConfirmed']);
    const host = await startTestHost({ processesDir: path.resolve(__dirname, '../fixtures/processes/business-error'), handlers });
    try {
      const res = await host.call('olga-office', 'POST', '/process-definitions/test-payment/start', { variables: { paid: true } });
      expect(res.status).toBe(201);
      const id = res.body.id;
      const waiting = (await host.call('admin', 'GET', `/process-instances/${id}`)).body;
      expect(waiting.state).toBe('running');
      expect(waiting.activeActivities).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'check-payment' })]));
      expect(waiting.incidents).toEqual([expect.objectContaining({ activityId: 'check-payment', handler: 'test.check-payment', attempts: 1, resolvedAt: null })]);
      expect(waiting.incidents[0].message).toContain('ECONNREFUSED');
      expect((await host.call('admin', 'GET', '/incidents')).body.map((i: any) => i.processInstanceId)).toEqual([id]);

      expect((await host.call('olga-office', 'POST', `/process-instances/${id}/retry`)).status).toBe(403);
      const stillDown = await host.call('admin', 'POST', `/process-instances/${id}/retry`);
      expect(stillDown.status).toBe(200);
      expect(stillDown.body).toMatchObject({ resolved: false, incidents: [expect.objectContaining({ attempts: 2 })] });

      down = false;
      const back = await host.call('admin', 'POST', `/process-instances/${id}/retry`);
      expect(back.body).toMatchObject({ resolved: true, incidents: [], instance: { state: 'completed', outcome: 'paid' } });
      expect((await host.call('admin', 'POST', `/process-instances/${id}/retry`)).status).toBe(409);
      const history = (await host.call('admin', 'GET', `/process-instances/${id}/history`)).body.map((h: any) => h.type);
      expect(history.filter((t: string) => t.startsWith('incident-'))).toEqual(['incident-created', 'incident-retried', 'incident-retry-failed', 'incident-retried', 'incident-resolved']);
    } finally {
      await host.close();
    }
  });
});
