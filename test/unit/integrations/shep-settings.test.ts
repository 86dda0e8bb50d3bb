import { loadConfig } from '../../../src/config';
import { defaultShepSettings, SHEP_SERVICES, shepSettingsFromEnv } from '../../../src/integrations/shep/services';

/* ShEP configuration: who this server is at ShEP and the service id of each operation. */
describe('ShEP settings from the environment', () => {
  it('defaults to the simulator sender and one distinct service id per operation', () => {
    const settings = shepSettingsFromEnv({});
    expect(settings).toEqual(defaultShepSettings());
    expect(new Set(Object.values(settings.serviceIds)).size).toBe(SHEP_SERVICES.length);
    expect(loadConfig({}, '/tmp').externalSystems.shep).toEqual(settings);
  });

  it('reads SHEP_SENDER_ID, SHEP_PASSWORD and each SHEP_SERVICE_* (an empty value keeps the default)', () => {
    const config = loadConfig({ SHEP_SENDER_ID: 'akimat-almaty', SHEP_PASSWORD: 'p@ss', SHEP_SERVICE_GBDFL_PERSON: 'GBDFL_UniversalServiceSync', SHEP_SERVICE_PAYMENT_STATUS: '' }, '/tmp');
    expect(config.externalSystems.shep).toMatchObject({ senderId: 'akimat-almaty', password: 'p@ss', serviceIds: { 'gbdfl-person': 'GBDFL_UniversalServiceSync', 'payment-status': 'PSHEP_PaymentStatus' } });
  });

  it('refuses two operations on one service id, naming both settings', () => {
    expect(() => loadConfig({ SHEP_SERVICE_GBDUL_COMPANY: 'GBDFL_PersonByIin' }, '/tmp')).toThrow('SHEP_SERVICE_GBDUL_COMPANY and SHEP_SERVICE_GBDFL_PERSON name the same ShEP service id "GBDFL_PersonByIin"');
  });
});
