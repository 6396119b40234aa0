#!/usr/bin/env python3
"""Print a `ctrecord evm` trace folder for review: every Step with its source line's text,
Calls with their arguments, Returns, events, and the values that changed since the previous
step (the raw EVM state pc/op/gas/stack/memory_size left out). Python 3 standard library only.

    ctrecord evm trace-samples/args/run/vmtrace.json -a trace-samples/args/solc-output.json \
        -a trace-samples/args/solc-input.json --sources trace-samples -o /tmp/t
    python3 tests/samples/evm_trace_dump.py /tmp/t

docs/evm.md ("Reviewing a trace") describes what to look for.
"""
import json, sys, base64, os
d = sys.argv[1]
ev = json.load(open(os.path.join(d, 'trace.json')))
paths = []; funcs = []; varnames = []; types = []
files = {}
def src(pid, line):
    p = paths[pid]
    if p not in files:
        fp = os.path.join(d, 'files', p.lstrip('/'))
        try: files[p] = open(fp, errors='replace').read().split('\n')
        except OSError: files[p] = []
    L = files[p]
    return L[line-1].strip() if 0 < line <= len(L) else '<no line>'
def val(v):
    k = v.get('kind')
    if k == 'BigInt':
        b = base64.b64decode(v['b']); n = int.from_bytes(b, 'big')
        return ('-' if v.get('negative') else '') + str(n)
    if k == 'Int': return str(v['i'])
    if k == 'Raw': return v['r'] if len(v['r']) < 80 else v['r'][:76] + '..'
    if k == 'String': return json.dumps(v['text'])[:80]
    if k == 'Bool': return str(v['b']).lower()
    if k in ('Sequence', 'Tuple', 'Struct'):
        return ('[' if k == 'Sequence' else '(') + ', '.join(val(x) for x in v.get('elements', v.get('field_values', []))) + (']' if k == 'Sequence' else ')')
    if k == 'Error': return 'Error(' + v.get('msg', v.get('text', '')) + ')'
    if k == 'None': return 'None'
    return json.dumps(v)[:80]
RAW = {'pc', 'op', 'gas', 'stack', 'memory_size'}
depth = 0; last = {}; pend = []
for e in ev:
    (k, p), = e.items()
    if k == 'Path': paths.append(p)
    elif k == 'Function': funcs.append(p['name'])
    elif k == 'VariableName': varnames.append(p)
    elif k == 'Step':
        print('  ' * depth + f'{os.path.basename(paths[p["path_id"]])}:{p["line"]}: {src(p["path_id"], p["line"])}')
    elif k == 'Value':
        n = varnames[p['variable_id']]
        if n in RAW: continue
        s = val(p['value'])
        if last.get(n) != s:
            print('  ' * depth + f'    = {n} = {s}')
            last[n] = s
    elif k == 'Call':
        a = ', '.join(f'{varnames[x["variable_id"]]}={val(x["value"])}' for x in p['args'])
        print('  ' * depth + f'CALL {funcs[p["function_id"]]}({a})')
        depth += 1; last = {}
    elif k == 'Return':
        depth -= 1
        print('  ' * depth + f'RETURN {val(p.get("return_value", {"kind": "None"}))}')
    elif k == 'Event':
        print('  ' * depth + f'EVENT kind={p["kind"]} {p.get("metadata")}: {p.get("content")}')
