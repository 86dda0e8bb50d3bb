import fs from 'node:fs';
import path from 'node:path';
import { CabinetState, createCabinetSimulator } from './cabinet/simulator';
import { Adapters, CallTuning, createAdapters } from './clients';
import { CaOptions, CertificationAuthority, createCaSimulator } from './eds/ca-simulator';
import { createEgovPortalSimulator, EgovPortalState } from './egov-portal/simulator';
import { createElicenseSimulator, ElicenseState } from './elicense/simulator';
import { createGbdSimulator, GbdState } from './gbd/simulator';
import { createPaymentGatewaySimulator, PaymentGatewayState } from './payment-gateway/simulator';
import { ShepSettings, ShepBackend, SHEP_BACKENDS, defaultShepSettings } from './shep/services';
import { createShepSimulator, ShepSimulatorState } from './shep/simulator';
import { SimulatorServer } from './simulator-server';
import { createStateCorporationSimulator, StateCorporationState } from './state-corporation/simulator';
import { envOfSystemUrls, SIMULATED_SYSTEMS, SimulatedSystem } from './systems';

/*
 * Only composition roots start simulators: src/server.ts (the default run), test support, and the
 * harnesses and tools that play the state systems (bench, fault injection, scripts/simulators).
 */

export { SIMULATED_SYSTEMS } from './systems';
export type { SimulatedSystem } from './systems';
export type { ShepBackend } from './shep/services';
export { CertificationAuthority } from './eds/ca-simulator';

export interface Simulators {
  urls: Record<SimulatedSystem, string>;
  ca: CertificationAuthority;
  portal: EgovPortalState;
  payments: PaymentGatewayState;
  elicense: ElicenseState;
  gbd: GbdState;
  stateCorporation: StateCorporationState;
  cabinet: CabinetState;
  /** The ShEP gateway: the messages it saw, the systems behind it that are down, injected faults. */
  shep: ShepSimulatorState;
  servers: Record<SimulatedSystem, SimulatorServer>;
  /**
   * Makes a system unreachable (its port refuses connections); its data stays. A system behind
   * ShEP (gbd, elicense, payment-gateway) stays behind a running gateway that answers SCE004 for it.
   */
  stop(system: SimulatedSystem | ShepBackend): Promise<void>;
  /** Starts a stopped system again on the same port (or makes it available behind ShEP again). */
  start(system: SimulatedSystem | ShepBackend): Promise<void>;
  close(): Promise<void>;
}

export interface StartSimulatorsOptions {
  host?: string;
  /** Fixed ports per system (0 or absent = a free port). */
  ports?: Partial<Record<SimulatedSystem, number>>;
  /** The CA keeps its root and the provider's key here (e.g. DATA_DIR/simulators). */
  dataDir?: string;
  ca?: Omit<CaOptions, 'stateDir'>;
  /** User ids the E-licensing simulator lets log in. */
  employees?: string[];
  /** The sender and service ids the ShEP simulator accepts (default: the clients' defaults). */
  shep?: ShepSettings;
}

/** Starts every simulator on its own port; returns their base URLs, their state and close(). */
export async function startSimulators(options: StartSimulatorsOptions = {}): Promise<Simulators> {
  const host = options.host ?? '127.0.0.1';
  const { app: caApp, ca } = await createCaSimulator({ ...options.ca, stateDir: options.dataDir ? path.join(options.dataDir, 'ca') : undefined });
  const portal = createEgovPortalSimulator();
  const payments = createPaymentGatewaySimulator();
  const elicense = createElicenseSimulator();
  const gbd = createGbdSimulator();
  const sc = createStateCorporationSimulator();
  const cabinet = createCabinetSimulator();
  elicense.state.addEmployee(...(options.employees ?? []));
  const shep = createShepSimulator({
    settings: options.shep ?? defaultShepSettings(),
    trust: () => ({ roots: [ca.root], isRevoked: (serial) => !!ca.issued.get(serial)?.revokedAt }),
    backends: { gbd, elicense, 'payment-gateway': payments },
  });
  const apps: Record<SimulatedSystem, SimulatorServer['app']> = {
    ca: caApp,
    'egov-portal': portal.app,
    shep: shep.app,
    'state-corporation': sc.app,
    cabinet: cabinet.app,
  };
  const servers = Object.fromEntries(SIMULATED_SYSTEMS.map((s) => [s, new SimulatorServer(s, apps[s], host, options.ports?.[s] ?? 0)])) as Record<SimulatedSystem, SimulatorServer>;
  // The CA's URL is written into every certificate it issues (the CRL distribution point), so a
  // CA with a state directory listens where it listened before when that port is free: results
  // signed in an earlier run stay verifiable after a restart.
  const caPortFile = options.dataDir && !options.ports?.ca ? path.join(options.dataDir, 'ca', 'port') : undefined;
  const earlierCaPort = caPortFile && fs.existsSync(caPortFile) ? Number(fs.readFileSync(caPortFile, 'utf8').trim()) : 0;
  if (Number.isInteger(earlierCaPort) && earlierCaPort > 0) servers.ca = new SimulatorServer('ca', caApp, host, earlierCaPort);
  try {
    for (const s of SIMULATED_SYSTEMS) {
      try {
        await servers[s].start();
      } catch (error) {
        // The earlier port is taken (another run): any free port, and certificates issued anew.
        if (s !== 'ca' || !earlierCaPort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        servers.ca = new SimulatorServer('ca', caApp, host, 0);
        await servers.ca.start();
      }
    }
    if (caPortFile) {
      fs.mkdirSync(path.dirname(caPortFile), { recursive: true });
      fs.writeFileSync(caPortFile, String(new URL(servers.ca.url).port));
    }
  } catch (error) {
    await Promise.all(SIMULATED_SYSTEMS.map((s) => servers[s].stop()));
    throw error;
  }
  ca.baseUrl = servers.ca.url;
  const urls = Object.fromEntries(SIMULATED_SYSTEMS.map((s) => [s, servers[s].url])) as Record<SimulatedSystem, string>;
  return {
    urls,
    ca,
    portal: portal.state,
    payments: payments.state,
    elicense: elicense.state,
    gbd: gbd.state,
    stateCorporation: sc.state,
    cabinet: cabinet.state,
    shep: shep.state,
    servers,
    stop: async (system) => {
      if (isShepBackend(system)) shep.state.setDown(system, true);
      else await servers[system].stop();
    },
    start: async (system) => {
      if (isShepBackend(system)) shep.state.setDown(system, false);
      else await servers[system].start();
    },
    close: async () => {
      await Promise.all(SIMULATED_SYSTEMS.map((s) => servers[s].stop()));
    },
  };
}

function isShepBackend(system: SimulatedSystem | ShepBackend): system is ShepBackend {
  return (SHEP_BACKENDS as readonly string[]).includes(system);
}

/**
 * Clients wired to running simulators in this process: the CA simulator's root is trusted and its
 * provider key signs results, without a round trip through /ca/root.pem and /admin/provider.
 */
export function simulatorClients(simulators: Simulators, tuning: CallTuning): Adapters {
  return createAdapters({
    urls: simulators.urls,
    ...tuning,
    trustedRoots: async () => [simulators.ca.root],
    provider: async () => {
      const p = await simulators.ca.providerCredentials();
      return { privateKey: p.privateKey, certificate: p.certificate };
    },
  });
}

/** The environment that points a server process at running simulators (CA_URL, EGOV_PORTAL_URL ...). */
export function simulatorEnv(simulators: Pick<Simulators, 'urls'>): Record<string, string> {
  return envOfSystemUrls(simulators.urls);
}
