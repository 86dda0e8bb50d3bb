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
    });
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

  it('stores nothing when a handler fails technically, and says which handler', async () => {
    const handlers = createDefaultHandlers().register('test.check-payment', 'Always down', async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    });
    const down = await startTestHost({ processesDir: path.resolve(__dirname, '../fixtures/processes/business-error'), handlers });
    try {
      const res = await down.call('olga-office', 'POST', '/process-definitions/test-payment/start', { variables: { paid: true } });
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'HANDLER_FAILED', details: { activityId: 'check-payment', handler: 'test.check-payment' } });
      expect(res.body.error.message).toContain('ECONNREFUSED');
      expect((await down.call('admin', 'GET', '/process-instances')).body.total).toBe(0);
    } finally {
      await down.close();
    }
  });
});
