import type { SippyError } from '@velora/sippy';

/** A sentence an operator can act on, for each way a call to the switch can fail. Never contains secrets. */
export function explainSippyError(error: SippyError): string {
  switch (error.kind) {
    case 'auth':
      return 'SippySoft rejected the credentials: check the web login, the API password (not the web password) and that API access is allowed for this customer';
    case 'tls':
      return `TLS to SippySoft failed (${error.message}): trust the switch certificate (SIPPY_CA_FILE) or turn TLS verification off for this switch`;
    case 'timeout':
      return `SippySoft did not answer in time (${error.message})`;
    case 'unreachable':
      return `Cannot reach SippySoft (${error.message})`;
    case 'http':
      return `SippySoft answered HTTP ${error.httpStatus ?? '?'}: is the URL the XML-RPC endpoint (https://HOST/xmlapi/xmlapi)?`;
    case 'fault':
      return `SippySoft answered with an XML-RPC fault${error.faultCode !== undefined ? ` ${error.faultCode}` : ''}: ${error.faultString ?? error.message}`;
    case 'malformed':
      return `SippySoft's answer is not valid XML-RPC (${error.message}): is the URL the XML-RPC endpoint?`;
    case 'too_large':
      return `SippySoft's answer was too large (${error.message})`;
    case 'config':
      return `SippySoft client configuration: ${error.message}`;
  }
}
