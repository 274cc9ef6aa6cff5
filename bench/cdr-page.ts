/**
 * Deterministic generator of realistic getAccountCDRs responses for the decoder benchmark.
 *
 * Layout follows Python's xmlrpc.client Marshaller (one `<member>` element per line, `<nil/>` for
 * None), the usual shape of a Python XML-RPC server such as Sippy's. Fields follow
 * sippy-xmlrpc.md §4.2/§10: `full` = the 38 documented fields plus setup_time and lrn_cli (40);
 * `compact` = 8 core fields, which reproduces the ~12 MB / 20k-CDR page of integrations.md §4.4.
 */

import { mulberry32 as prng } from '../libs/sippy/simulator/random';

export type CdrShape = 'full' | 'compact';


const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Sippy date format (b): `10:03:12.000 GMT Tue Nov 24 2026`. */
function sippyTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000 GMT ` +
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()}`
  );
}

const DESTINATIONS = [
  { country: 'TURKEY', description: 'Fixed', area: 'İstanbul Avrupa', prefix: '90212', cld: '902122' },
  { country: 'TURKEY', description: 'Mobile', area: null, prefix: '90532', cld: '905321' },
  { country: 'TURKEY', description: 'Fixed', area: 'Ankara', prefix: '90312', cld: '903124' },
  { country: 'GERMANY', description: 'Mobile', area: null, prefix: '49151', cld: '491511' },
  { country: 'FRANCE', description: 'Fixed', area: 'Paris', prefix: '331', cld: '331445' },
  { country: 'UNITED KINGDOM', description: 'Mobile', area: null, prefix: '447', cld: '447700' },
];
const USER_AGENTS = ['Yealink SIP-T46S 66.86.0.15', 'Grandstream GXP2170 1.0.11.3', 'Zoiper rv2.10.19.3', 'Çağrı Merkezi PBX/3.1'];
const RESULTS = [0, 0, 0, 0, 0, 486, 487, 404, 503, -20, -14];

type Field = [name: string, type: 'int' | 'double' | 'string' | 'nil', value: string];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cdrFields(i: number, random: () => number, shape: CdrShape, startMs: number): Field[] {
  const dest = DESTINATIONS[Math.floor(random() * DESTINATIONS.length)];
  const result = RESULTS[Math.floor(random() * RESULTS.length)];
  const answered = result === 0;
  const setupMs = startMs + i * 1700 + Math.floor(random() * 1000);
  const connectMs = setupMs + Math.floor(random() * 9000);
  const duration = answered ? Math.round(random() * 600_000) / 1000 : 0;
  const billed = answered ? Math.ceil(duration / 60) * 60 : 0;
  const price = Math.round(random() * 200) / 10000;
  const cost = Math.round((billed / 60) * price * 10000) / 10000;
  const cli = `90532${pad(Math.floor(random() * 10_000_000), 7)}`;
  const cld = `${dest.cld}${pad(Math.floor(random() * 1_000_000), 6)}`;
  const str = (name: string, value: string | null): Field => (value === null ? [name, 'nil', ''] : [name, 'string', value]);
  const core: Field[] = [
    ['i_account', 'int', String(1000 + (i % 250))],
    ['i_cdr', 'int', String(418_238_747 + i)],
    str('cli', cli),
    str('cld', cld),
    str('connect_time', sippyTime(connectMs)),
    ['duration', 'double', String(duration)],
    ['cost', 'double', String(cost)],
    ['result', 'int', String(result)],
  ];
  if (shape === 'compact') {
    return core;
  }
  return [
    ...core,
    str('i_call', String(418_241_422 + i * 2)),
    str('call_id', `${(0x10000000 + i).toString(16)}-3b9d-4e61-a0d4-${pad(i, 12)}@198.51.100.20`),
    str('cli_in', `0${cli.slice(2)}`),
    str('cld_in', `00${cld}`),
    str('setup_time', sippyTime(setupMs)),
    str('disconnect_time', sippyTime(connectMs + Math.round(duration * 1000))),
    ['billed_duration', 'int', String(billed)],
    ['plan_duration', 'double', '0'],
    str('country', dest.country),
    str('description', dest.description),
    str('area_name', dest.area),
    str('prefix', dest.prefix),
    str('remote_ip', `203.0.113.${i % 250}`),
    str('protocol', 'SIP'),
    ['accessibility_cost', 'double', '0'],
    ['grace_period', 'int', '0'],
    ['post_call_surcharge', 'double', '0'],
    ['connect_fee', 'double', '0'],
    ['free_seconds', 'int', '0'],
    ['interval_1', 'int', '60'],
    ['interval_n', 'int', '60'],
    ['price_1', 'double', String(price)],
    ['price_n', 'double', String(price)],
    ['delay', 'double', String(Math.round(random() * 8000) / 1000)],
    ['pdd1xx', 'double', String(Math.round(random() * 900) / 1000)],
    str('lrn_cld', null),
    str('lrn_cld_in', null),
    str('lrn_cli', null),
    str('p_asserted_id', random() < 0.3 ? `<sip:${cli}@198.51.100.20>` : null),
    str('remote_party_id', null),
    str('release_source', random() < 0.5 ? 'caller' : 'callee'),
    str('user_agent', USER_AGENTS[i % USER_AGENTS.length]),
  ];
}

/** A whole methodResponse `{ result: 'OK', cdrs: [...] }` with `count` CDRs. */
export function generateCdrPage(count: number, shape: CdrShape = 'full', seed = 20261124): string {
  const random = prng(seed);
  const startMs = Date.UTC(2026, 10, 24, 0, 0, 0);
  const parts: string[] = [
    "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n",
    '<member>\n<name>result</name>\n<value><string>OK</string></value>\n</member>\n',
    '<member>\n<name>cdrs</name>\n<value><array><data>\n',
  ];
  for (let i = 0; i < count; i++) {
    parts.push('<value><struct>\n');
    for (const [name, type, value] of cdrFields(i, random, shape, startMs)) {
      parts.push(
        type === 'nil'
          ? `<member>\n<name>${name}</name>\n<value><nil/></value></member>\n`
          : `<member>\n<name>${name}</name>\n<value><${type}>${escape(value)}</${type}></value>\n</member>\n`,
      );
    }
    parts.push('</struct></value>\n');
  }
  parts.push('</data></array></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n');
  return parts.join('');
}
