import { HandlerRegistration } from '../../handlers/registry';
import { stringVar } from '../../handlers/support';
import { EgovPortalAdapter } from './client';

/** egov.authorize: the applicant is a registered, not blocked portal user (diagram 1, process 1). */
const authorize =
  (portal: EgovPortalAdapter): HandlerRegistration['handler'] =>
  async ({ variables }) => {
    const iinBin = stringVar(variables, 'applicantIinBin');
    if (!iinBin) return { portalAuthorized: false, portalAuthorizationReason: 'no-iin-bin' };
    const user = await portal.getUser(iinBin);
    if (!user.registered) return { portalAuthorized: false, portalAuthorizationReason: 'not-registered' };
    if (user.blocked) return { portalAuthorized: false, portalAuthorizationReason: 'blocked' };
    return { portalAuthorized: true, portalAuthorizationReason: null };
  };

export function egovPortalHandlers(portal: EgovPortalAdapter): HandlerRegistration[] {
  return [{ name: 'egov.authorize', description: 'e-gov portal: the applicant is a registered, not blocked user', handler: authorize(portal), produces: ['portalAuthorized', 'portalAuthorizationReason'] }];
}
