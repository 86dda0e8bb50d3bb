/**
 * Applicants for the positive path, prepared straight in the simulators' state (as the tests'
 * SimulatorControl does): registered on the portal, paid for the service, present in GBD FL/UL,
 * and a request signed with a valid certificate of the CA simulator.
 */
import { makeBin, makeIin } from '../../src/adapters/iin-bin';
import { signCmsBase64 } from '../../src/crypto/cms';
import { Simulators } from '../../src/simulators';

export interface Applicant {
  applicantIinBin: string;
  applicantKind: 'individual' | 'legal-entity';
  applicantName: string;
  signedRequest: string;
}

const DAY = 24 * 3600 * 1000;

export class Applicants {
  private n = 0;
  private readonly issued = new Set<string>();
  constructor(private readonly simulators: Simulators) {}

  private fresh(kind: 'individual' | 'legal-entity'): string {
    for (;;) {
      const n = this.n++;
      const number =
        kind === 'legal-entity'
          ? makeBin(new Date(Date.UTC(2005 + Math.floor(n / 90_000), (Math.floor(n / 9000) % 10) + 1, 1)), (n % 9000) + 1)
          : makeIin(new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 9000) * DAY), n % 2 ? 'female' : 'male', (n % 9000) + 1);
      if (!this.issued.has(number)) {
        this.issued.add(number);
        return number;
      }
    }
  }

  async prepare(kind: 'individual' | 'legal-entity', serviceKey: string): Promise<Applicant> {
    const iinBin = this.fresh(kind);
    const name = kind === 'legal-entity' ? `ТОО «Бенч ${iinBin.slice(-4)}»` : `Бенч Өтініш ${iinBin.slice(-4)}`;
    const s = this.simulators;
    s.portal.addUser(iinBin, name, false);
    s.payments.markPaid(iinBin, serviceKey, 0);
    if (kind === 'legal-entity') s.gbd.addCompany(iinBin, name);
    else s.gbd.addPerson(iinBin, name);
    const now = new Date();
    const subject = kind === 'legal-entity' ? { commonName: name, organization: name, bin: iinBin } : { commonName: name, iin: iinBin };
    const issued = await s.ca.issue({ subject, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
    const content = JSON.stringify({ service: serviceKey, applicantIinBin: iinBin, applicantName: name, applicantKind: kind, requestedAt: now.toISOString() });
    return { applicantIinBin: iinBin, applicantKind: kind, applicantName: name, signedRequest: await signCmsBase64(content, issued, now) };
  }
}
