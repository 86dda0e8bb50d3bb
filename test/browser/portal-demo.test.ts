import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_SERVICES, DemoApplicant, seedDemoApplicants } from '../../src/integrations/egov-portal/simulator-demo';
import { completeToEnd, httpPort } from '../support/reglament-driver';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';
import { ensureWebBuild, launchBrowser, pageReady, screenshot, signIn } from './support';

/*
 * A newcomer reaches a licence on the portal channel from the portal simulator's demo page, without
 * a shell (issue 18, point 5): the demo applicants are seeded as the default run seeds them, the page
 * is opened in Chromium, one click picks the applicant and one the service; the simulator signs the
 * request with the applicant's test key and files it through the server's portal intake. The
 * application is then driven to its licence through the API (the clerks' pages are covered by the
 * other browser tests) and its case page in the web app names the applicant.
 */
const KEY = 'cotton-warehouse-license';
const CLERK = 'office-user';

describe('portal demo page (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let applicants: DemoApplicant[];
  let demoUrl: string;

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestHost();
    applicants = await seedDemoApplicants(t.simulators);
    // server.ts gives the portal an account of its own process; a test host's office user stands in for it.
    t.simulators.portal.demo = { applicants, services: DEMO_SERVICES, intake: { serverUrl: t.url, token: tokenOf('olga-office') } };
    demoUrl = `${t.simulators.urls['egov-portal']}/demo`;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'kk-KZ' });
    page = await context.newPage();
    await signIn(page, t.url, CLERK);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('lists the demo applicants and services in Kazakh and in Russian', async () => {
    await page.goto(`${demoUrl}?lang=ru`);
    expect(await page.locator('h1').textContent()).toBe('Подать заявление через портал (демо)');
    expect(await page.locator('[data-service]').allTextContents()).toEqual(DEMO_SERVICES.map((s) => s.name.ru));
    await page.click('[data-lang="kk"]');
    expect(await page.locator('h1').textContent()).toBe('Порталдан өтініш беру (демо)');
    expect(await page.locator('[data-applicant]').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('value')))).toEqual(applicants.map((a) => a.id));
    for (const a of applicants) expect(await page.locator(`label:has([data-applicant="${a.id}"])`).textContent()).toContain(a.iinBin);
  });

  it.each(['individual', 'legal-entity'])('two clicks file a signed portal application of the %s, which reaches its licence', async (who) => {
    const applicant = applicants.find((a) => a.id === who)!;
    await page.goto(demoUrl);
    await page.click(`[data-applicant="${who}"]`);
    await Promise.all([page.waitForURL(/\/demo\/submit$/), page.click(`[data-service="${KEY}"]`)]);
    const accepted = page.locator('[data-result="accepted"]');
    expect(await accepted.count()).toBe(1);
    await screenshot(page, `portal-demo-accepted-${who}`);
    const instanceId = (await page.locator('[data-case-link]').getAttribute('data-instance-id'))!;
    const businessKey = (await page.locator('[data-business-key]').textContent())!;

    // What arrived is a portal application of this applicant, its request signed with the applicant's key.
    const started = (await t.call('admin', 'GET', `/process-instances/${instanceId}`)).body;
    expect(started).toMatchObject({ businessKey, variables: { channel: 'portal', applicantIinBin: applicant.iinBin, applicantName: applicant.name, signedRequest: expect.any(String) } });
    const signed = (await t.call('admin', 'GET', `/process-instances/${instanceId}/signed-documents`)).body;
    expect(signed).toEqual([expect.objectContaining({ variable: 'signedRequest', valid: true, checkedAgainstApplicant: true })]);

    // The page's link opens the case in the web app.
    await Promise.all([page.waitForURL(/\/instances\//), page.click('[data-case-link]')]);
    await pageReady(page);
    expect(await page.locator('main').innerText()).toContain(applicant.name);

    const done = await completeToEnd(httpPort(t), { key: KEY, businessKey, instanceId });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued', variables: { edsValid: true, portalAuthorized: true, paymentConfirmed: true } });
  });

  it('a form that is not the page’s own is refused and files nothing', async () => {
    const before = (await t.call('admin', 'GET', `/process-instances?processDefinitionKey=${KEY}&maxResults=100`)).body.items.length;
    const answer = await fetch(`${t.simulators.urls['egov-portal']}/demo/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ applicant: 'individual', service: KEY, formToken: 'forged' }) });
    expect(answer.status).toBe(403);
    expect((await t.call('admin', 'GET', `/process-instances?processDefinitionKey=${KEY}&maxResults=100`)).body.items.length).toBe(before);
  });
});
