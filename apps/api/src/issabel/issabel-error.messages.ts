import type { AmiError } from '@velora/integrations';

/** A sentence an operator can act on, for each way an AMI conversation can fail. Never contains the secret. */
export function explainAmiError(error: AmiError): string {
  switch (error.kind) {
    case 'auth':
      return `Issabel (Asterisk AMI) rejected the login: check the AMI user and secret (Integrations page, or ISSABEL_AMI_USER/ISSABEL_AMI_SECRET) and that the manager.conf user's permit= covers this server (${error.message})`;
    case 'refused':
      return `Issabel refused the AMI connection: is AMI enabled (manager.conf enabled=yes) and is the port right? (${error.message})`;
    case 'unreachable':
      return `Cannot reach Issabel over AMI (${error.message})`;
    case 'timeout':
      return `Issabel did not answer over AMI in time (${error.message}); a firewall may be dropping the packets`;
    case 'tls':
      return `TLS to Issabel's AMI failed (${error.message}): trust the PBX certificate or turn certificate verification off for it (Integrations page, or ISSABEL_AMI_DISABLE_TLS_VERIFY=true)`;
    case 'permission':
      return `The AMI user may not run this action (${error.message}): give it read/write system,call,reporting in manager.conf`;
    case 'protocol':
      return `Issabel's answer is not usable AMI (${error.message}): is the port the AMI port (5038)?`;
    case 'config':
      return `Issabel client configuration: ${error.message}`;
  }
}
