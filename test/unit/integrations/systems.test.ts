import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { envOfSystemUrls, EXTERNAL_SYSTEMS, SIMULATED_SYSTEMS, systemUrlsFromEnv, unconfiguredSimulatedSystems } from '../../../src/integrations/systems';

/* The one list of external systems: configuration, the simulators' environment and the README agree with it. */
describe('integrations/systems.ts', () => {
  it('config reads every base URL from its env variable; an empty value is none', () => {
    const env = Object.fromEntries(EXTERNAL_SYSTEMS.map((s, i) => [s.env, `http://127.0.0.1:${9100 + i}`]));
    const config = loadConfig({ ...env, CABINET_URL: '' }, '/tmp');
    for (const [i, s] of EXTERNAL_SYSTEMS.entries()) expect(config.externalSystems.urls[s.id]).toBe(s.id === 'cabinet' ? undefined : `http://127.0.0.1:${9100 + i}`);
  });

  it('the environment of running simulators names each simulated system, and reads back as the same URLs', () => {
    const urls = Object.fromEntries(SIMULATED_SYSTEMS.map((s, i) => [s, `http://127.0.0.1:${9200 + i}`]));
    const env = envOfSystemUrls(urls);
    expect(Object.keys(env).sort()).toEqual(['CABINET_URL', 'CA_URL', 'EGOV_PORTAL_URL', 'SHEP_URL', 'STATE_CORPORATION_URL']);
    expect(systemUrlsFromEnv(env)).toEqual(urls);
  });

  it('the default run simulates what is not configured; NCANode is never simulated (the local verifier serves RSA and ECDSA)', () => {
    expect(unconfiguredSimulatedSystems({})).toHaveLength(SIMULATED_SYSTEMS.length);
    expect(unconfiguredSimulatedSystems({ ca: 'http://ca', ncanode: 'http://ncanode' })).not.toContain('CA_URL');
    expect(unconfiguredSimulatedSystems(Object.fromEntries(SIMULATED_SYSTEMS.map((s) => [s, 'http://x'])))).toEqual([]);
    expect(SIMULATED_SYSTEMS).not.toContain('ncanode');
    expect(unconfiguredSimulatedSystems({})).not.toContain('NCANODE_URL');
  });

  it("README's configuration table and docs/external-systems.md name every system's env variable", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/external-systems.md'), 'utf8');
    for (const s of EXTERNAL_SYSTEMS) {
      expect(readme).toContain(`\`${s.env}\``);
      expect(doc).toContain(`| \`${s.env}\` |`);
    }
  });
});
