import { Adapters } from '../adapters';
import { Handler } from './registry';
import { stringVar } from './support';

/** egov.authorize: the applicant is a registered, not blocked portal user (diagram 1, process 1). */
export const egovAuthorize =
  (adapters: Adapters): Handler =>
  async ({ variables }) => {
    const iinBin = stringVar(variables, 'applicantIinBin');
    if (!iinBin) return { portalAuthorized: false, portalAuthorizationReason: 'no-iin-bin' };
    const user = await adapters.portal.getUser(iinBin);
    if (!user.registered) return { portalAuthorized: false, portalAuthorizationReason: 'not-registered' };
    if (user.blocked) return { portalAuthorized: false, portalAuthorizationReason: 'blocked' };
    return { portalAuthorized: true, portalAuthorizationReason: null };
  };
