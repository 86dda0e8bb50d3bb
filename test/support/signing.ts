import { signCms, SigningCredentials } from '../../src/crypto/cms';
import type { CertificationAuthority, IssuedCertificate } from '../../src/integrations/eds/ca-simulator';
import { iinOfTestUser, tokenOf } from './test-host';

/*
 * Signing steps in tests: a person's certificate from the CA simulator (their test IIN), and the
 * signature of a task's draft made as NCALayer makes it (CMS, the draft's bytes attached), sent
 * through the same endpoint the web app uses.
 */

const issuedFor = new WeakMap<CertificationAuthority, Map<string, IssuedCertificate>>();

/** The user's signing certificate (issued once per CA and user): the IIN is the one the users file gives them. */
export async function signerCertificate(ca: CertificationAuthority, userId: string): Promise<IssuedCertificate> {
  let byUser = issuedFor.get(ca);
  if (!byUser) issuedFor.set(ca, (byUser = new Map()));
  let issued = byUser.get(userId);
  if (!issued) {
    // Valid from five years back: path tables on a manual clock (a date in the act's time) sign too.
    issued = await ca.issue({ subject: { commonName: `Signer ${userId}`, iin: iinOfTestUser(userId) }, notBefore: new Date(Date.now() - 5 * 365 * 86_400_000), validDays: 10 * 365 });
    byUser.set(userId, issued);
  }
  return issued;
}

export const credentialsOf = (issued: IssuedCertificate): SigningCredentials => ({ privateKey: issued.privateKey, certificate: issued.certificate });

/** The draft of a signing task as its signer's browser gets it. */
export async function fetchDraft(url: string, taskId: string, user: string): Promise<{ status: number; bytes: Uint8Array; sha256: string | null }> {
  const response = await fetch(`${url}/api/tasks/${taskId}/draft.pdf`, { headers: { authorization: `Bearer ${tokenOf(user)}` } });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), sha256: response.headers.get('x-document-sha256') };
}

/** A CMS over `bytes` with the content attached, as NCALayer's basics sign makes it. */
export async function cmsOver(bytes: Uint8Array, credentials: SigningCredentials): Promise<string> {
  return Buffer.from(await signCms(bytes, credentials)).toString('base64');
}

/** Fetches the task's draft and signs it with `credentials` (the user's own certificate by default); answers the endpoint's reply. */
export async function signTask(
  t: { url: string; call(user: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> },
  ca: CertificationAuthority,
  taskId: string,
  user: string,
  credentials?: SigningCredentials,
): Promise<{ status: number; body: any; draft: Uint8Array }> {
  const draft = await fetchDraft(t.url, taskId, user);
  if (draft.status !== 200) throw new Error(`signing: the draft of task ${taskId} for ${user}: HTTP ${draft.status} ${Buffer.from(draft.bytes).toString('utf8')}`);
  const cms = await cmsOver(draft.bytes, credentials ?? credentialsOf(await signerCertificate(ca, user)));
  const reply = await t.call(user, 'POST', `/tasks/${taskId}/sign`, { cms });
  return { ...reply, draft: draft.bytes };
}
