"""Decode + plain normalization of a saved getAccountCDRs response with Python's standard library.

The reference stack of issue #12 (the product was first written in Python): xmlrpc.client.loads
(expat) on the whole body, then a plain per-CDR normalization to the same fields as Velora's Cdr
(no caching tricks). Usage: python3 bench/python-ingest.py FILE [RUNS]. Prints one JSON line:
{"cdrs": N, "seconds": S, "cpu_seconds": C, "peak_rss_mb": P}: the best of RUNS runs (default 3,
after one warm-up), its CPU time, and the process's peak RSS. Used by bench/ingest.bench.ts.
"""
import json
import resource
import sys
import time
import xmlrpc.client
from datetime import datetime, timezone

COUNTRY_ISO = {'TURKEY': 'TR', 'GERMANY': 'DE', 'FRANCE': 'FR', 'UNITED KINGDOM': 'GB', 'UNITED STATES': 'US'}
SIP_STATUS = {486: 'busy', 600: 'busy', 408: 'no_answer', 480: 'no_answer', 487: 'cancelled',
              403: 'rejected', 603: 'rejected', 404: 'rejected', 484: 'rejected', 488: 'rejected'}
SIP_REASON = {200: 'OK', 404: 'Not Found', 486: 'Busy Here', 487: 'Request Terminated', 503: 'Service Unavailable'}
TYPE_WORDS = {'mobile', 'fixed', 'landline', 'cellular', 'premium', 'tollfree', 'voip', 'other'}


def parse_time(value):
    """Sippy format (b), '09:57:29.000 GMT Wed Nov 18 2009', to ISO 8601 UTC."""
    if not value:
        return None
    try:
        parsed = datetime.strptime(value.strip(), '%H:%M:%S.%f GMT %a %b %d %Y')
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc)


def iso(moment):
    return None if moment is None else moment.isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def phone(value):
    if value is None:
        return None
    text = str(value).strip()
    if '<' in text and '>' in text:
        text = text[text.index('<') + 1:text.index('>')]
    for scheme in ('sip:', 'sips:', 'tel:'):
        if text.startswith(scheme):
            text = text[len(scheme):]
    text = text.split('@')[0].split(';')[0].strip()
    return text or None


def place(value):
    if value is None or not str(value).strip():
        return None
    text = ' '.join(str(value).split())
    return text.title() if text.isupper() else text


def normalize(raw):
    connect = parse_time(raw.get('connect_time'))
    setup = parse_time(raw.get('setup_time'))
    disconnect = parse_time(raw.get('disconnect_time'))
    duration = raw.get('duration')
    duration = float(duration) if duration is not None and float(duration) >= 0 else None
    result = raw.get('result')
    if result == 0:
        status, sip_code, reason = 'completed', 200, 'OK'
    elif result is not None and result < 0:
        status, sip_code, reason = 'rejected', None, 'Sippy internal reject %d' % result
    elif result is not None:
        status, sip_code, reason = SIP_STATUS.get(result, 'failed'), result, SIP_REASON.get(result, 'SIP %d' % result)
    else:
        status, sip_code, reason = ('completed' if duration else 'unknown'), None, None
    country = place(raw.get('country'))
    city = place(raw.get('area_name')) or place(raw.get('description'))
    if city is not None and city.lower() in TYPE_WORDS:
        city = None
    start = connect or setup
    return {
        'id': str(raw['i_cdr']),
        'call_id': raw.get('call_id'),
        'caller': phone(raw.get('cli')),
        'callee': phone(raw.get('cld')),
        'start_time': iso(start),
        'end_time': iso(disconnect),
        'setup_time': iso(setup),
        'duration': duration,
        'billed_duration': raw.get('billed_duration'),
        'status': status,
        'result': result,
        'sip_code': sip_code,
        'disconnect_reason': reason,
        'release_source': (raw.get('release_source') or '').lower() or None,
        'direction': 'outbound',
        'country': country,
        'country_code': COUNTRY_ISO.get((raw.get('country') or '').upper()),
        'city': city,
        'cost': float(raw['cost']) if raw.get('cost') is not None else None,
        'currency': 'TRY',
        'trunk': None,
        'codec': None,
        'account': str(raw['i_account']) if raw.get('i_account') is not None else None,
        'remote_ip': raw.get('remote_ip'),
    }


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    best = None
    best_cpu = None
    count = 0
    for run in range(runs + 1):
        with open(path, 'rb') as body:
            data = body.read()
        started = time.perf_counter()
        started_cpu = time.process_time()
        (page,), _method = xmlrpc.client.loads(data)
        cdrs = [normalize(raw) for raw in page['cdrs']]
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - started_cpu
        count = len(cdrs)
        del page, cdrs, data
        if run > 0 and (best is None or seconds < best):
            best, best_cpu = seconds, cpu_seconds
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'cdrs': count, 'seconds': best, 'cpu_seconds': best_cpu, 'peak_rss_mb': round(peak_kb * 1024 / 1e6)}))


if __name__ == '__main__':
    main()
