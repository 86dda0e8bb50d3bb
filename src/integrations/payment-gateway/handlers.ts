import { HandlerRegistration } from '../../handlers/registry';
import { serviceKeyOf, stringVar } from '../../handlers/support';
import { PaymentGatewayAdapter } from './client';

/**
 * payment.check: a payment of the applicant for this service is recorded at the payment
 * gateway. The service is the reglament's key (see serviceKeyOf); when a shared flow cannot
 * tell it, any payment of the applicant counts.
 */
const check =
  (payments: PaymentGatewayAdapter): HandlerRegistration['handler'] =>
  async (context) => {
    const iinBin = stringVar(context.variables, 'applicantIinBin');
    if (!iinBin) return { paymentConfirmed: false, paymentReference: null };
    const status = await payments.status(iinBin, serviceKeyOf(context));
    return { paymentConfirmed: status.paid, paymentReference: status.reference ?? null };
  };

export function paymentGatewayHandlers(payments: PaymentGatewayAdapter): HandlerRegistration[] {
  return [{ name: 'payment.check', description: 'e-gov payment gateway: the applicant paid for the service', handler: check(payments), produces: ['paymentConfirmed', 'paymentReference'] }];
}
