import { startTestHost, TestHost } from '../support/test-host';

/*
 * Issue 15, point 3: the act a reglament implements is served with its definition (from the diagram's
 * act.* properties), so the web app can cite it; the shared flows carry none.
 */
describe('the act with the definition', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  it('lists every reglament with its act and every shared flow without one', async () => {
    const res = await t.call('office-user', 'GET', '/process-definitions');
    expect(res.status).toBe(200);
    const withAct = res.body.filter((d: any) => d.act).map((d: any) => d.key);
    const without = res.body.filter((d: any) => !d.act).map((d: any) => d.key);
    expect(withAct).toHaveLength(13);
    expect(without.sort()).toEqual(['egov-portal-intake', 'egov-result-delivery', 'elicense-provider-intake', 'state-corporation-intake', 'state-corporation-result-issuance']);
  });

  it('gives the cotton reglament its act as the diagram states it', async () => {
    const list = (await t.call('office-user', 'GET', '/process-definitions?all=true')).body;
    const cotton = list.find((d: any) => d.key === 'cotton-warehouse-license');
    expect(cotton.act).toEqual({
      body: 'Астана қаласы әкімдігі',
      bodyRu: 'Акимат города Астаны',
      bodyEn: 'Akimat of Astana',
      kind: 'resolution',
      number: '102-1249',
      date: '2014-08-05',
      registration: '838',
      registrationDate: '2014-09-05',
      status: 'repealed',
      repealedBy: { kind: 'resolution', number: '102-234', date: '2016-02-09' },
      annex: 'only',
      title: expect.stringContaining('мемлекеттік көрсетілетін қызмет регламентін бекіту туралы'),
      textFile: '002_83683e9406adde34.txt',
    });
    const detail = (await t.call('office-user', 'GET', '/process-definitions/cotton-warehouse-license')).body;
    expect(detail.act).toEqual(cotton.act);
  });
});
