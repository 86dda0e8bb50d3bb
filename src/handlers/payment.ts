import { Adapters } from '../adapters';
import { Handler } from './registry';
import { serviceKeyOf, stringVar } from './support';

/**
 * payment.check: a payment of the applicant for this service is recorded at the payment
 * gateway. The service is the reglament's key (see serviceKeyOf); when a shared flow cannot
 * tell it, any payment of the applicant counts.
 */
export const paymentCheck =
  (adapters: Adapters): Handler =>
  async (context) => {
    const iinBin = stringVar(context.variables, 'applicantIinBin');
    if (!iinBin) return { paymentConfirmed: false, paymentReference: null };
    const status = await adapters.payments.status(iinBin, serviceKeyOf(context));
    return { paymentConfirmed: status.paid, paymentReference: status.reference ?? null };
  };
