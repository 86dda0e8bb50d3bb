import { ExternalSystemsConfig } from '../config';
import { cabinetHandlers } from '../integrations/cabinet/handlers';
import { Adapters, adaptersFromConfig, createAdapters } from '../integrations/clients';
import { edsHandlers } from '../integrations/eds/handlers';
import { egovPortalHandlers } from '../integrations/egov-portal/handlers';
import { elicenseHandlers } from '../integrations/elicense/handlers';
import { gbdHandlers } from '../integrations/gbd/handlers';
import { paymentGatewayHandlers } from '../integrations/payment-gateway/handlers';
import { stateCorporationHandlers } from '../integrations/state-corporation/handlers';
import { documentHandlers } from './documents';
import { HandlerRegistry } from './registry';

/**
 * The registry the server runs with: every service-task topic the diagrams may name, with the
 * variables each one produces (no form may declare those; see HandlerRegistry): the host's own
 * documents, and each state system's handlers from its folder in integrations/. `source` is the
 * clients, or the configuration to build them from (base URLs from the environment). Without
 * either, the information-system handlers exist but every call is an
 * ExternalSystemUnavailableError saying which base URL is not configured.
 */
export function createDefaultHandlers(source?: Adapters | ExternalSystemsConfig): HandlerRegistry {
  const clients: Adapters = !source ? createAdapters({ urls: {} }) : 'portal' in source ? source : adaptersFromConfig(source);
  const registry = new HandlerRegistry();
  for (const r of [
    ...documentHandlers(),
    ...egovPortalHandlers(clients.portal),
    ...paymentGatewayHandlers(clients.payments),
    ...edsHandlers(clients.eds),
    ...elicenseHandlers(clients.elicense),
    ...gbdHandlers(clients.gbd),
    ...stateCorporationHandlers(clients.stateCorporation),
    ...cabinetHandlers(clients.cabinet),
  ])
    registry.register(r.name, r.description, r.handler, r.produces);
  return registry;
}

export function registeredHandlerNames(): string[] {
  return createDefaultHandlers().names();
}

/** Variable -> producers (handlers, the host) of the registry the server runs with, for linting files. */
export function defaultProducedVariables(): Map<string, string[]> {
  return createDefaultHandlers().producers();
}
