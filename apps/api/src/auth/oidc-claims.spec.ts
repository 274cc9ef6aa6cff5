import { claimAt, displayNameOf, emailOf, mapRole, safeReturnTo } from './oidc-claims';

describe('OIDC claims', () => {
  const roles = { rolesClaim: 'realm_access.roles', adminRoles: ['velora-admin'], defaultRole: 'agent' as const };

  it('reads a claim by its whole name first, then as a dotted path', () => {
    const claims = { 'https://example.com/roles': ['a'], realm_access: { roles: ['b'] }, resource_access: { velora: { roles: ['c'] } } };
    expect(claimAt(claims, 'https://example.com/roles')).toEqual(['a']);
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['b']);
    expect(claimAt(claims, 'resource_access.velora.roles')).toEqual(['c']);
    expect(claimAt(claims, 'realm_access.missing')).toBeUndefined();
    expect(claimAt(claims, 'toString')).toBeUndefined(); // no prototype walk
  });

  it('maps admin roles, else the default role; no roles claim = no mapping', () => {
    expect(mapRole({ realm_access: { roles: ['x', 'velora-admin'] } }, roles)).toBe('admin');
    expect(mapRole({ realm_access: { roles: ['x'] } }, roles)).toBe('agent');
    expect(mapRole({}, roles)).toBe('agent');
    expect(mapRole({ groups: 'velora-admin' }, { ...roles, rolesClaim: 'groups' })).toBe('admin');
    expect(mapRole({ groups: [{ name: 'velora-admin' }] }, { ...roles, rolesClaim: 'groups' })).toBe('agent');
    expect(mapRole({ roles: ['velora-admin'] }, { ...roles, rolesClaim: undefined })).toBeUndefined();
  });

  it.each([
    ['/integrations?tab=x', '/integrations?tab=x'],
    ['/', '/'],
    [undefined, '/'],
    ['https://evil.example', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/ok\\..\\x', '/'],
    ['/a\nb', '/'],
    ['/login?returnUrl=/x', '/'],
    ['relative', '/'],
    [`/${'a'.repeat(3000)}`, '/'],
  ])('return_to %p becomes %p', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it('needs an email that is not explicitly unverified', () => {
    expect(emailOf({ email: ' Ayse@Example.COM ' })).toEqual({ email: 'ayse@example.com' });
    expect(emailOf({ email: 'a@b', email_verified: true })).toEqual({ email: 'a@b' });
    expect(emailOf({})).toEqual({ error: 'no_email' });
    expect(emailOf({ email: 'no-at-sign' })).toEqual({ error: 'no_email' });
    expect(emailOf({ email: 'a@b.c', email_verified: false })).toEqual({ error: 'email_unverified' });
    expect(emailOf({ email: 'a@b.c', email_verified: 'false' })).toEqual({ error: 'email_unverified' });
  });

  it('takes the display name from name, else preferred_username', () => {
    expect(displayNameOf({ name: ' Ayşe ', preferred_username: 'ayse' })).toBe('Ayşe');
    expect(displayNameOf({ preferred_username: 'ayse' })).toBe('ayse');
    expect(displayNameOf({ name: '' })).toBeNull();
  });
});
