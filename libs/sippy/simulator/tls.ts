import { generate } from 'selfsigned';

export interface SelfSignedCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate (CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1). */
  cert: string;
}

let pending: Promise<SelfSignedCertificate> | undefined;

/**
 * A self-signed certificate for the local simulator, generated once per process (RSA 2048,
 * SHA-256, valid from one day ago for 30 days). Concurrent callers share the same promise.
 */
export function getSelfSignedCertificate(): Promise<SelfSignedCertificate> {
  if (!pending) {
    pending = createCertificate().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
  }
  return pending;
}

async function createCertificate(): Promise<SelfSignedCertificate> {
  const notBeforeDate = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 31 * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
