import { Adapters } from '../adapters';
import { Handler } from './registry';
import { propertyOf, stringVar } from './support';

/**
 * gbd.lookup-applicant: the applicant in GBD FL (individual) or GBD UL (legal entity) through
 * ShEP. `stateDatabase` (`by-applicant-kind` default, or `legal-entities`) is a variable set by
 * the call activity or a property of the service task.
 */
export const gbdLookupApplicant =
  (adapters: Adapters): Handler =>
  async (context) => {
    const { variables } = context;
    const iinBin = stringVar(variables, 'applicantIinBin');
    if (!iinBin) return { applicantFound: false, applicantRegisteredName: null, applicantLookupProblem: 'applicantIinBin is missing' };
    const database = stringVar(variables, 'stateDatabase') ?? propertyOf(context, 'stateDatabase') ?? 'by-applicant-kind';
    const legalEntity = database === 'legal-entities' || stringVar(variables, 'applicantKind') === 'legal-entity';
    const result = legalEntity ? await adapters.gbd.lookupCompany(iinBin) : await adapters.gbd.lookupPerson(iinBin);
    if (result.status === 'found') return { applicantFound: true, applicantRegisteredName: result.name, applicantLookupProblem: null };
    return {
      applicantFound: false,
      applicantRegisteredName: null,
      applicantLookupProblem: result.status === 'malformed' ? `malformed ${legalEntity ? 'BIN' : 'IIN'}: ${result.message}` : `not found in ${legalEntity ? 'GBD UL' : 'GBD FL'}`,
    };
  };
