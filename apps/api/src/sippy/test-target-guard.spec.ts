import { TestTargetGuard, TestTargetRefusedError } from './test-target-guard';

const dns =
  (table: Partial<Record<string, string[]>>) =>
  (host: string): Promise<string[]> => {
    const found = table[host];
    return found === undefined ? Promise.reject(new Error(`ENOTFOUND ${host}`)) : Promise.resolve(found);
  };

async function reason(guard: TestTargetGuard, url: string): Promise<string | null> {
  try {
    await guard.check(url);
    return null;
  } catch (error) {
    if (error instanceof TestTargetRefusedError) return error.reason;
    throw error;
  }
}

describe('TestTargetGuard', () => {
  const lookup = dns({
    'switch.example.net': ['203.0.113.10'],
    'metadata.attacker.example': ['169.254.169.254'],
    'mixed.attacker.example': ['203.0.113.11', 'fd00:ec2::254'],
    'mapped.attacker.example': ['::ffff:169.254.169.254'],
    'lan.example.net': ['10.1.2.3'],
  });

  it('allows public and private hosts by default, refuses link-local and metadata addresses always', async () => {
    const guard = new TestTargetGuard([], lookup);
    expect(await reason(guard, 'https://switch.example.net/xmlapi/xmlapi')).toBeNull();
    expect(await reason(guard, 'http://127.0.0.1:8080/xmlapi/xmlapi')).toBeNull();
    expect(await reason(guard, 'https://lan.example.net/xmlapi/xmlapi')).toBeNull();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.attacker.example/',
      'http://mixed.attacker.example/',
      'http://mapped.attacker.example/',
      'http://[fe80::abcd]/',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
      'http://0.0.0.0:22/',
    ]) {
      expect([url, await reason(guard, url)]).toEqual([url, 'blocked_address']);
    }
  });

  it('refuses other schemes, credentials in the URL and names that do not resolve', async () => {
    const guard = new TestTargetGuard([], lookup);
    expect(await reason(guard, 'ftp://switch.example.net/')).toBe('scheme');
    expect(await reason(guard, 'file:///etc/passwd')).toBe('scheme');
    expect(await reason(guard, 'not a url')).toBe('scheme');
    expect(await reason(guard, 'https://u:p@switch.example.net/')).toBe('userinfo');
    expect(await reason(guard, 'https://nowhere.invalid/')).toBe('unresolvable');
  });

  it('with an allow-list: listed names, or addresses inside listed IPs/CIDRs only', async () => {
    const guard = new TestTargetGuard(['Switch.Example.net', '10.0.0.0/8', '198.51.100.7', '[2001:db8::1]'], lookup);
    expect(await reason(guard, 'https://switch.example.net/xmlapi/xmlapi')).toBeNull();
    expect(await reason(guard, 'https://SWITCH.example.net./xmlapi/xmlapi')).toBeNull();
    expect(await reason(guard, 'https://lan.example.net/')).toBeNull();
    expect(await reason(guard, 'http://198.51.100.7/')).toBeNull();
    expect(await reason(guard, 'http://[2001:db8::1]/')).toBeNull();
    expect(await reason(guard, 'http://198.51.100.8/')).toBe('not_allowed');
    expect(await reason(guard, 'http://127.0.0.1/')).toBe('not_allowed');
    // metadata stays refused even when listed
    expect(await reason(new TestTargetGuard(['169.254.0.0/16'], lookup), 'http://169.254.169.254/')).toBe('blocked_address');
  });
});
