/**
 * `npm run sim`: a standalone SippySoft simulator for development.
 *
 * Environment: SIM_PORT (default 8089), SIM_HOST (default 127.0.0.1), SIM_TLS (1/true for HTTPS
 * with a self-signed certificate), SIM_USER (default ssp-root), SIM_PASS (default: generated and
 * printed once), SIM_SEED (default 1), SIM_CALLS_PER_MINUTE (default 6); an awkward switch:
 * SIM_FAULT_RATE (0..1, share of CDR/list calls answering a transient fault), SIM_LATENCY_MS (every call waits),
 * SIM_REFUSE_METHODS (comma-separated methods answering a permission fault, e.g. listAccounts).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SippySimulator } from './sippy-simulator';

function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number between ${min} and ${max}`);
  }
  return value;
}

async function main(): Promise<void> {
  const port = envNumber('SIM_PORT', 8089, 0, 65535);
  if (!Number.isInteger(port)) throw new Error('SIM_PORT must be an integer');
  const host = process.env['SIM_HOST']?.trim() || '127.0.0.1';
  const tls = envFlag(process.env['SIM_TLS']);
  const username = process.env['SIM_USER']?.trim() || 'ssp-root';
  const generatedPassword = !process.env['SIM_PASS'];
  const password = process.env['SIM_PASS'] || randomBytes(12).toString('base64url');
  const seedText = process.env['SIM_SEED']?.trim();
  const seed = seedText ? (/^-?\d+$/.test(seedText) ? Number(seedText) : seedText) : 1;
  const callsPerMinute = envNumber('SIM_CALLS_PER_MINUTE', 6, 0, 10_000);

  const transientFaultRate = envNumber('SIM_FAULT_RATE', 0, 0, 1);
  const latencyMs = envNumber('SIM_LATENCY_MS', 0, 0, 60_000);
  const refuseMethods = (process.env['SIM_REFUSE_METHODS'] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');

  const sim = new SippySimulator({ host, port, tls, username, password, seed, callsPerMinute, transientFaultRate, latencyMs, refuseMethods });
  await sim.start();

  const out = process.stdout;
  out.write(`SippySoft simulator listening on ${sim.url}\n`);
  out.write(`  user ${username}${generatedPassword ? ' (password generated for this run)' : ''}, seed ${String(seed)}, ` +
    `${callsPerMinute} calls/min, ${sim.visibleCdrs().length} CDRs in the last 24 h\n`);
  if (transientFaultRate > 0 || latencyMs > 0 || refuseMethods.length > 0) {
    out.write(`  awkward switch: ${String(transientFaultRate * 100)}% transient faults, ${String(latencyMs)} ms latency` +
      `${refuseMethods.length > 0 ? `, refuses ${refuseMethods.join(', ')}` : ''}\n`);
  }
  if (tls && sim.certificatePem) {
    const certPath = join(tmpdir(), `sippy-simulator-${sim.port}.pem`);
    writeFileSync(certPath, sim.certificatePem, { mode: 0o644 });
    out.write(`  self-signed certificate: ${certPath}\n`);
  }
  out.write('\nPaste into .env:\n');
  out.write(`SIPPY_RPC_URL=${sim.url}\n`);
  out.write(`SIPPY_RPC_USER=${username}\n`);
  out.write(`SIPPY_RPC_PASS=${password}\n`);
  if (tls) out.write('SIPPY_DISABLE_TLS_VERIFY=true\n');
  out.write('\nCtrl+C to stop.\n');

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`sippy simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
