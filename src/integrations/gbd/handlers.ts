import { HandlerRegistration } from '../../handlers/registry';
import { propertyOf, stringVar } from '../../handlers/support';
import { GbdAdapter } from './client';

/**
 * gbd.lookup-applicant: the applicant in GBD FL (individual) or GBD UL (legal entity) through
 * ShEP. `stateDatabase` (`by-applicant-kind` default, or `legal-entities`) is a variable set by
 * the call activity or a property of the service task.
 */
const lookupApplicant =
  (gbd: GbdAdapter): HandlerRegistration['handler'] =>
  async (context) => {
    const { variables } = context;
    const iinBin = stringVar(variables, 'applicantIinBin');
    if (!iinBin) return { applicantFound: false, applicantRegisteredName: null, applicantLookupProblem: 'applicantIinBin is missing' };
    const database = stringVar(variables, 'stateDatabase') ?? propertyOf(context, 'stateDatabase') ?? 'by-applicant-kind';
    const legalEntity = database === 'legal-entities' || stringVar(variables, 'applicantKind') === 'legal-entity';
    const result = legalEntity ? await gbd.lookupCompany(iinBin) : await gbd.lookupPerson(iinBin);
    if (result.status === 'found') return { applicantFound: true, applicantRegisteredName: result.name, applicantLookupProblem: null };
    return {
      applicantFound: false,
      applicantRegisteredName: null,
      applicantLookupProblem: result.status === 'malformed' ? `malformed ${legalEntity ? 'BIN' : 'IIN'}: ${result.message}` : `not found in ${legalEntity ? 'GBD UL' : 'GBD FL'}`,
    };
  };

export function gbdHandlers(gbd: GbdAdapter): HandlerRegistration[] {
  return [{ name: 'gbd.lookup-applicant', description: 'GBD FL / GBD UL via ShEP: the applicant exists', handler: lookupApplicant(gbd), produces: ['applicantFound', 'applicantRegisteredName', 'applicantLookupProblem'] }];
}
