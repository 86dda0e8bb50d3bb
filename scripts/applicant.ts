/**
 * A small CLI for demos and tests against the running simulators (their URLs are printed by the
 * server at start and by `node dist/scripts/simulators.js`):
 *
 *   node dist/scripts/applicant.js create [--kind individual|legal-entity] [--iin-bin N] [--name "..."]
 *                                         [--algorithm ECDSA|RSA] [--paid SERVICE_KEY] [--content TEXT]
 *       a valid IIN/BIN (control digit) unless given; registers it on the portal and in GBD FL/UL, issues
 *       an EDS certificate at the CA simulator, marks a payment if asked, and prints the applicant with
 *       a signed request (the start variables of a portal application)
 *   node dist/scripts/applicant.js sign --serial SERIAL --content TEXT      a CMS signature (base64)
 *   node dist/scripts/applicant.js pay --payer IIN_BIN --service KEY [--amount N]
 *   node dist/scripts/applicant.js revoke --serial SERIAL
 *
 * URLs: CA_URL, EGOV_PORTAL_URL, SHEP_URL (the same variables the server reads; GBD FL/UL and the
 * payment gateway sit behind the ShEP simulator, which serves their admin endpoints).
 */
import { parseArgs } from 'node:util';
import { checkIinBin, makeBin, makeIin } from '../src/iin-bin';

type Args = Partial<Record<string, string>>;

const OPTIONS = ['kind', 'iin-bin', 'name', 'algorithm', 'paid', 'content', 'serial', 'payer', 'service', 'amount'] as const;

function parse(argv: string[]): { command: string; args: Args } {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: Object.fromEntries(OPTIONS.map((o) => [o, { type: 'string' as const }])) });
  if (positionals.length > 1) throw new Error(`Unexpected argument "${positionals[1]}"`);
  return { command: positionals[0] ?? 'help', args: values as Args };
}

function url(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} to the simulator's base URL (printed by the server at start)`);
  return value.replace(/\/$/, '');
}

async function call(method: string, target: string, body?: unknown): Promise<any> {
  const response = await fetch(target, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${target} -> ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function sign(serial: string, content: string): Promise<string> {
  return (await call('POST', `${url('CA_URL')}/admin/sign`, { serialNumber: serial, content })).signedRequest;
}

async function pay(payer: string, service: string, amount = 3692): Promise<unknown> {
  return call('POST', `${url('SHEP_URL')}/admin/payments`, { payer, serviceKey: service, amount });
}

async function create(args: Args): Promise<unknown> {
  const kind = args.kind === 'legal-entity' ? 'legal-entity' : 'individual';
  const serial = 1 + Math.floor(Math.random() * 9000);
  const iinBin = args['iin-bin'] ?? (kind === 'legal-entity' ? makeBin(new Date(Date.UTC(2015, 5, 1)), serial) : makeIin(new Date(Date.UTC(1990, 0, 15)), 'female', serial));
  const check = checkIinBin(iinBin);
  if (!check.valid) throw new Error(`"${iinBin}" is not a valid IIN/BIN: ${check.message}`);
  const name = args.name ?? (kind === 'legal-entity' ? `ТОО «Демо ${iinBin.slice(-4)}»` : `Демо Өтініш Берушi ${iinBin.slice(-4)}`);
  await call('PUT', `${url('EGOV_PORTAL_URL')}/admin/users/${iinBin}`, { name });
  await call('PUT', `${url('SHEP_URL')}/admin/${kind === 'legal-entity' ? 'companies' : 'persons'}/${iinBin}`, { name });
  const certificate = await call('POST', `${url('CA_URL')}/admin/certificates`, {
    ...(kind === 'legal-entity' ? { bin: iinBin, organization: name } : { iin: iinBin, commonName: name }),
    algorithm: args.algorithm === 'RSA' ? 'RSA' : 'ECDSA',
    validDays: 365,
  });
  if (args.paid) await pay(iinBin, args.paid);
  const content = args.content ?? JSON.stringify({ applicantIinBin: iinBin, applicantName: name, requestedAt: new Date().toISOString() });
  return {
    applicantIinBin: iinBin,
    applicantKind: kind,
    applicantName: name,
    certificateSerial: certificate.serialNumber,
    signedRequest: await sign(certificate.serialNumber, content),
  };
}

async function main(argv: string[]): Promise<void> {
  const { command, args } = parse(argv);
  const need = (name: string) => {
    const value = args[name];
    if (!value) throw new Error(`--${name} is required for "${command}"`);
    return value;
  };
  switch (command) {
    case 'create':
      console.log(JSON.stringify(await create(args), null, 2));
      return;
    case 'sign':
      console.log(await sign(need('serial'), need('content')));
      return;
    case 'pay':
      console.log(JSON.stringify(await pay(need('payer'), need('service'), args.amount ? Number(args.amount) : undefined)));
      return;
    case 'revoke':
      console.log(JSON.stringify(await call('POST', `${url('CA_URL')}/admin/certificates/${need('serial')}/revoke`, {})));
      return;
    default:
      console.log('usage: applicant create|sign|pay|revoke ... (see the header of scripts/applicant.ts)');
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
