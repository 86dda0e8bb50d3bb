import http from 'node:http';
import { startSimulators } from '../../../src/integrations/simulators';
import { tempDir } from '../../support/test-host';

/*
 * The CA simulator's URL is in every certificate it issued (CRL distribution point). With a state
 * directory it listens where it listened before, so the provider's certificate, and the results it
 * signed, stay verifiable after a restart; a taken port falls back to a free one.
 */
describe('CA simulator port across restarts', () => {
  it('keeps its URL and the provider certificate when the port is free, and moves when it is taken', async () => {
    const dataDir = tempDir();
    const first = await startSimulators({ dataDir });
    const url = first.urls.ca;
    const serial = (await first.ca.providerCredentials()).serialNumber;
    await first.close();

    const second = await startSimulators({ dataDir });
    try {
      expect(second.urls.ca).toBe(url);
      expect((await second.ca.providerCredentials()).serialNumber).toBe(serial);
      const crl = await fetch(`${url}/ca/crl`);
      expect(crl.status).toBe(200);
    } finally {
      await second.close();
    }

    // Someone else holds the port now: the CA starts elsewhere and issues a certificate for its new URL.
    const squatter = http.createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(new URL(url).port), '127.0.0.1', () => resolve()));
    try {
      const third = await startSimulators({ dataDir });
      try {
        expect(third.urls.ca).not.toBe(url);
        expect((await third.ca.providerCredentials()).serialNumber).not.toBe(serial);
      } finally {
        await third.close();
      }
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
