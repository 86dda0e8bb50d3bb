import * as pkijs from 'pkijs';
import { Adapters, CallTuning } from '../../src/integrations/clients';
import { makeBin, makeIin } from '../../src/iin-bin';
import { signCms, signCmsBase64 } from '../../src/crypto/cms';
import { createCertificate, generateKeyPair, KeyAlgorithm, CryptoKey } from '../../src/crypto/pki';
import { IssuedCertificate } from '../../src/integrations/eds/ca-simulator';
import { ShepBackend, SimulatedSystem, simulatorClients, Simulators } from '../../src/integrations/simulators';

export type CertificateCase = 'valid' | 'expired' | 'not-yet-valid' | 'revoked' | 'other-iin' | 'untrusted' | 'bad-signature' | 'none';

export interface PrepareApplicantOptions {
  kind?: 'individual' | 'legal-entity';
  /** Registered on the portal (false -> AUTHORIZATION_REFUSED). Default true. */
  portalUser?: boolean;
  /** Registered but blocked on the portal. */
  blocked?: boolean;
  /** A payment is recorded for processKey (false -> PAYMENT_MISSING). Default true. */
  paid?: boolean;
  processKey?: string;
  /** The EDS certificate the request is signed with. Default 'valid'. */
  certificate?: CertificateCase;
  algorithm?: KeyAlgorithm;
  /** In GBD FL / GBD UL (false -> APPLICANT_DATA_UNAVAILABLE). Default true. */
  inStateDatabase?: boolean;
  name?: string;
  /** Use this IIN / BIN instead of a fresh valid one. */
  iinBin?: string;
}

export type PreparedApplicant = {
  applicantIinBin: string;
  applicantKind: 'individual' | 'legal-entity';
  applicantName: string;
  signedRequest?: string;
};

const DAY = 24 * 3600 * 1000;

/**
 * `t.sim`: prepares the simulators' data for a test (contract §4). Certificates are issued
 * relative to the host's clock, so a test with a manual clock gets certificates valid at its
 * "now". Prepared data goes straight into the simulators' in-memory state (each simulator also
 * has admin HTTP endpoints for the same, see docs/external-systems.md).
 */
export class SimulatorControl {
  private seq = 1 + Math.floor(Math.random() * 5000);
  private untrustedCa?: { certificate: pkijs.Certificate; key: CryptoKey };

  constructor(
    readonly simulators: Simulators,
    readonly adapters: Adapters,
    private readonly now: () => Date,
  ) {}

  get urls() {
    return this.simulators.urls;
  }

  /** A fresh valid IIN (control digit correct), never handed out before by this host. */
  newIin(): string {
    return this.fresh(() => makeIin(new Date(Date.UTC(1985, 2, 15)), 'male', this.seq++));
  }

  /** A fresh valid BIN, never handed out before by this host. */
  newBin(): string {
    return this.fresh(() => makeBin(new Date(Date.UTC(2012, 4, 1)), this.seq++));
  }

  // makeIin/makeBin skip serials whose control digit is undefined, so serial n may give the number
  // of serial n+1: without this check two applicants could share an IIN (and one's payment).
  private readonly issued = new Set<string>();
  private fresh(make: () => string): string {
    for (;;) {
      const number = make();
      if (!this.issued.has(number)) {
        this.issued.add(number);
        return number;
      }
    }
  }

  async prepareApplicant(options: PrepareApplicantOptions = {}): Promise<PreparedApplicant> {
    const kind = options.kind ?? 'individual';
    const applicantIinBin = options.iinBin ?? (kind === 'legal-entity' ? this.newBin() : this.newIin());
    const applicantName = options.name ?? (kind === 'legal-entity' ? `ТОО «Тест ${applicantIinBin.slice(-4)}»` : `Тестов Тест ${applicantIinBin.slice(-4)}`);
    if (options.portalUser !== false) this.simulators.portal.addUser(applicantIinBin, applicantName, !!options.blocked);
    if (options.paid !== false) this.markPaid(applicantIinBin, options.processKey ?? 'any-service');
    if (options.inStateDatabase !== false) {
      if (kind === 'legal-entity') this.addCompany(applicantIinBin, applicantName);
      else this.addPerson(applicantIinBin, applicantName);
    }
    const applicant: PreparedApplicant = { applicantIinBin, applicantKind: kind, applicantName };
    const certificate = options.certificate ?? 'valid';
    if (certificate !== 'none') {
      const content = JSON.stringify({ service: options.processKey ?? null, applicantIinBin, applicantName, applicantKind: kind, requestedAt: this.now().toISOString() });
      applicant.signedRequest = await this.signedRequest(content, { kind, iinBin: applicantIinBin, name: applicantName, case: certificate, algorithm: options.algorithm });
    }
    return applicant;
  }

  /** A certificate of the CA simulator for an IIN (individual) or BIN (legal entity), valid around the host's now unless told otherwise. */
  async issueCertificate(o: { kind?: 'individual' | 'legal-entity'; iinBin: string; name?: string; algorithm?: KeyAlgorithm; notBefore?: Date; notAfter?: Date }): Promise<IssuedCertificate> {
    const now = this.now();
    const subject = o.kind === 'legal-entity' ? { commonName: o.name ?? `Organisation ${o.iinBin}`, organization: o.name, bin: o.iinBin } : { commonName: o.name ?? `Person ${o.iinBin}`, iin: o.iinBin };
    return this.simulators.ca.issue({ subject, algorithm: o.algorithm, notBefore: o.notBefore ?? new Date(now.getTime() - DAY), notAfter: o.notAfter ?? new Date(now.getTime() + 365 * DAY) });
  }

  /** The base64 CMS of `content` signed with a certificate of the given case. */
  async signedRequest(content: string, o: { kind: 'individual' | 'legal-entity'; iinBin: string; name?: string; case: Exclude<CertificateCase, 'none'>; algorithm?: KeyAlgorithm }): Promise<string> {
    const now = this.now();
    let issued: { certificate: pkijs.Certificate; privateKey: CryptoKey };
    switch (o.case) {
      case 'expired':
        issued = await this.issueCertificate({ ...o, notBefore: new Date(now.getTime() - 730 * DAY), notAfter: new Date(now.getTime() - 365 * DAY) });
        break;
      case 'not-yet-valid':
        issued = await this.issueCertificate({ ...o, notBefore: new Date(now.getTime() + 30 * DAY), notAfter: new Date(now.getTime() + 400 * DAY) });
        break;
      case 'other-iin':
        issued = await this.issueCertificate({ ...o, iinBin: o.kind === 'legal-entity' ? this.newBin() : this.newIin() });
        break;
      case 'untrusted':
        issued = await this.untrustedCertificate(o.kind, o.iinBin);
        break;
      default:
        issued = await this.issueCertificate(o);
    }
    if (o.case === 'revoked') this.revoke((issued as IssuedCertificate).serialNumber);
    if (o.case === 'bad-signature') {
      const der = Buffer.from(await signCms(new Uint8Array(Buffer.from(content, 'utf8')), issued, now));
      const at = der.indexOf(Buffer.from(content, 'utf8'));
      der[at + 2] ^= 0x01; // the content no longer matches its messageDigest
      return der.toString('base64');
    }
    return signCmsBase64(content, issued, now);
  }

  /** Revokes a certificate of the CA simulator as of one minute before the host's now; the verifier's CRL cache is refreshed. */
  revoke(serialNumber: string, revokedAt = new Date(this.now().getTime() - 60_000)): void {
    this.simulators.ca.revoke(serialNumber, revokedAt);
    this.adapters.eds.crls.clear();
  }

  markPaid(iinBin: string, serviceKey: string, amount = 0) {
    return this.simulators.payments.markPaid(iinBin, serviceKey, amount);
  }

  addPerson(iin: string, name = `Person ${iin}`) {
    return this.simulators.gbd.addPerson(iin, name);
  }

  addCompany(bin: string, name = `Company ${bin}`) {
    return this.simulators.gbd.addCompany(bin, name);
  }

  addPortalUser(iinBin: string, name?: string, blocked = false) {
    return this.simulators.portal.addUser(iinBin, name, blocked);
  }

  addEmployee(userId: string) {
    this.simulators.elicense.addEmployee(userId);
  }

  /** Makes a system unreachable (connection refused; behind ShEP: SCE004) until start(system). */
  stop(system: SimulatedSystem | ShepBackend): Promise<void> {
    return this.simulators.stop(system);
  }

  start(system: SimulatedSystem | ShepBackend): Promise<void> {
    return this.simulators.start(system);
  }

  private async untrustedCertificate(kind: 'individual' | 'legal-entity', iinBin: string) {
    const now = this.now();
    if (!this.untrustedCa) {
      const keys = await generateKeyPair('ECDSA');
      const certificate = await createCertificate({ subject: { commonName: 'Untrusted test CA' }, publicKey: keys.publicKey, signingKey: keys.privateKey, notBefore: new Date(now.getTime() - 3650 * DAY), notAfter: new Date(now.getTime() + 3650 * DAY), ca: true });
      this.untrustedCa = { certificate, key: keys.privateKey };
    }
    const keys = await generateKeyPair('ECDSA');
    const subject = kind === 'legal-entity' ? { commonName: `Organisation ${iinBin}`, bin: iinBin } : { commonName: `Person ${iinBin}`, iin: iinBin };
    const certificate = await createCertificate({ subject, publicKey: keys.publicKey, issuer: this.untrustedCa.certificate, signingKey: this.untrustedCa.key, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
    return { certificate, privateKey: keys.privateKey };
  }
}

/** Clients wired to running simulators, with short timeouts and backoff so that fault tests stay fast. */
export function simulatorAdapters(simulators: Simulators, faults: CallTuning = {}): Adapters {
  // Generous: a loaded CI machine runs many test hosts at once; fault tests pass their own values.
  return simulatorClients(simulators, { timeoutMs: faults.timeoutMs ?? 10000, attempts: faults.attempts ?? 3, backoffMs: faults.backoffMs ?? 20 });
}
