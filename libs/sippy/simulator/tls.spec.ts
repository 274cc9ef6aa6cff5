import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';

import { getSelfSignedCertificate } from './tls';

describe('getSelfSignedCertificate', () => {
  it('returns a localhost certificate with 127.0.0.1/::1/localhost SANs matching its key', async () => {
    const { key, cert } = await getSelfSignedCertificate();
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toContain('CN=localhost');
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.subjectAltName).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)/i);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(x509.validFrom).getTime()).toBeLessThan(Date.now());
  });

  it('is memoized per process', async () => {
    const [a, b] = await Promise.all([getSelfSignedCertificate(), getSelfSignedCertificate()]);
    expect(a).toBe(b);
    expect(await getSelfSignedCertificate()).toBe(a);
  });

  it('is accepted by a TLS client that trusts it, and rejected by one that does not', async () => {
    const { key, cert } = await getSelfSignedCertificate();
    const server = createServer({ key, cert }, (_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const handshake = (ca?: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
          socket.end();
          resolve('ok');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => { resolve(error.code ?? error.message); });
      });
    try {
      expect(await handshake(cert)).toBe('ok');
      expect(await handshake()).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      server.close();
    }
  });
});
