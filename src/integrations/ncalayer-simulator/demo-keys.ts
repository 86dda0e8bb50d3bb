import type { CertificationAuthority } from '../eds/ca-simulator';
import { NcaLayerSimulator } from './ncalayer-simulator';

/**
 * The default run's NCALayer simulator holds a signing key for every user with an IIN, issued now by
 * the CA simulator (a certificate of that IIN, the user's name as its common name), and signs with
 * `signer`'s key when asked: the demo head signs the cotton licence's draft without a real EDS. A
 * real signer chooses their own key in their own NCALayer.
 */
export async function loadDemoKeys(ncalayer: NcaLayerSimulator, ca: CertificationAuthority, users: readonly { id: string; name: string; iin?: string }[], signer: string): Promise<string[]> {
  const loaded: string[] = [];
  for (const user of users) {
    if (!user.iin || ncalayer.aliases.includes(user.id)) continue;
    const issued = await ca.issue({ subject: { commonName: user.name, iin: user.iin } });
    ncalayer.addKey(user.id, { privateKey: issued.privateKey, certificate: issued.certificate });
    loaded.push(user.id);
  }
  if (ncalayer.aliases.includes(signer)) ncalayer.choose({ key: signer });
  return loaded;
}
