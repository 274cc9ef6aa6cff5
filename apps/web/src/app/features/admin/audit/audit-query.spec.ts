import { convertToParamMap } from '@angular/router';
import { AUDIT_ACTIONS } from '@velora/contracts';
import en from '../../../../../public/i18n/en.json';
import tr from '../../../../../public/i18n/tr.json';
import {
  AUDIT_DEFAULT_PAGE_SIZE,
  EMPTY_AUDIT_QUERY,
  KNOWN_AUDIT_ACTIONS,
  auditActionLabelKey,
  auditActorKind,
  auditCategoryLabelKey,
  compactDetails,
  groupActions,
  parseAuditQuery,
  parseLocalMinute,
  toAuditListQuery,
  toAuditQueryParams,
} from './audit-query';

describe('audit query', () => {
  it('parses a shared URL and drops invalid values', () => {
    expect(
      parseAuditQuery(
        convertToParamMap({ action: 'auth.', actor: ' admin ', ip: '203.0.113.', from: '2026-11-25T09:00', to: '2026-02-30T10:00', page: '2', size: '100' }),
      ),
    ).toEqual({ action: 'auth.', actor: 'admin', target: null, ip: '203.0.113.', from: '2026-11-25T09:00', to: null, page: 2, size: 100 });
    expect(
      parseAuditQuery(convertToParamMap({ action: 'DROP TABLE', ip: "1'--", from: '2026-11-25', page: '-1', size: '7', target: '   ' })),
    ).toEqual(EMPTY_AUDIT_QUERY);
  });

  it('leaves defaults out of the URL and round-trips', () => {
    const query = { ...EMPTY_AUDIT_QUERY, actor: 'a', page: 3 };
    const params = toAuditQueryParams(query);
    expect(params).toMatchObject({ actor: 'a', page: 3, size: null, action: null });
    const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]));
    expect(parseAuditQuery(convertToParamMap(clean))).toEqual(query);
  });

  it('turns local minutes into instants, `to` inclusive to the end of its minute', () => {
    const list = toAuditListQuery({ ...EMPTY_AUDIT_QUERY, from: '2026-11-25T09:00', to: '2026-11-25T09:00', page: 2 });
    expect(list).toEqual({
      limit: AUDIT_DEFAULT_PAGE_SIZE,
      offset: AUDIT_DEFAULT_PAGE_SIZE,
      from: new Date(2026, 10, 25, 9, 0, 0, 0).toISOString(),
      to: new Date(2026, 10, 25, 9, 0, 59, 999).toISOString(),
    });
    expect(parseLocalMinute('2026-11-25T24:00')).toBeNull();
    expect(parseLocalMinute('2026-11-25T10:00:00Z')).toBeNull();
  });

  it('writes details as compact key=value pairs, shortened', () => {
    expect(compactDetails({ reason: 'bad_password', ok: false, n: 3, o: { a: 1 } })).toBe('reason=bad_password · ok=false · n=3 · o={"a":1}');
    expect(compactDetails({})).toBe('');
    const long = compactDetails({ text: 'x'.repeat(500) }, 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
  });

  it('labels every action the API writes (its own AUDIT_ACTIONS list) with a key in both languages', () => {
    expect(KNOWN_AUDIT_ACTIONS).toEqual([...AUDIT_ACTIONS].sort());
    const lookup = (tree: unknown, key: string): unknown =>
      key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), tree);
    for (const action of AUDIT_ACTIONS) {
      const key = auditActionLabelKey(action);
      expect(key).not.toBeNull();
      expect([action, typeof lookup(tr, key!), typeof lookup(en, key!)]).toEqual([action, 'string', 'string']);
      expect(auditCategoryLabelKey(action.slice(0, action.indexOf('.')))).not.toBeNull();
    }
    expect(auditActionLabelKey('auth.login_failed')).toBe('audit.action.login_failed');
    expect(auditActionLabelKey('user.created')).toBe('audit.action.user_created');
    for (const unknown of ['auth.unknown', 'legacy.thing', 'toString', 'auth.toString', 'constructor.name']) {
      expect(auditActionLabelKey(unknown)).toBeNull();
    }
    expect(auditCategoryLabelKey('sippy')).toBe('audit.category.sippy');
    expect(auditCategoryLabelKey('__proto__')).toBeNull();
  });

  it('groups action names by category for the filter', () => {
    expect(groupActions(['auth.login', 'auth.logout', 'user.created', 'not an action'])).toEqual([
      { category: 'auth', prefix: 'auth.', actions: ['auth.login', 'auth.logout'] },
      { category: 'user', prefix: 'user.', actions: ['user.created'] },
    ]);
  });

  it('tells a user, Velora itself (a scheduled job) and an anonymous actor apart', () => {
    expect(auditActorKind({ actor_email: 'admin@example.com', details: { trigger: 'manual' } })).toBe('user');
    expect(auditActorKind({ actor_email: null, details: { trigger: 'nightly' } })).toBe('system');
    expect(auditActorKind({ actor_email: null, details: { trigger: 'manual' } })).toBe('anonymous');
    expect(auditActorKind({ actor_email: null, details: { reason: 'bad password' } })).toBe('anonymous');
    expect([typeof en.audit.system, typeof tr.audit.system]).toEqual(['string', 'string']);
  });
});
