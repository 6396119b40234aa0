#!/usr/bin/env python3
"""Pick the few fuzzer-found inputs worth committing to a seed corpus.

usage: pick_corpus.py CONTROL_FILE COMMITTED_DIR N MAX_BYTES

CONTROL_FILE is what `<fuzzer> -merge=1 -merge_control_file=CONTROL_FILE OUT COMMITTED_DIR
RUN_DIR` leaves. Greedy: start from the features of the committed corpus (files whose folder
is COMMITTED_DIR), then take, N times, the file of at most MAX_BYTES that adds the most
features not yet covered (the smaller on a tie). libFuzzer writes each file's features only
when new to the merge so far, so the counts are approximate. Prints the picked paths; the
gain of each goes to stderr.
"""
import os
import sys


def main():
    ctl, committed, n, maxb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    lines = open(ctl).read().split('\n')
    nfiles = int(lines[0])
    files = lines[2:2 + nfiles]
    ft = {}
    for line in lines[2 + nfiles:]:
        p = line.split()
        if p and p[0] == 'FT':
            ft[int(p[1])] = set(map(int, p[2:]))
    have, cand = set(), []
    committed = os.path.normpath(committed)
    for i, f in enumerate(files):
        if i not in ft:
            continue
        if os.path.normpath(os.path.dirname(f)) == committed:
            have |= ft[i]
        elif os.path.getsize(f) <= maxb:
            cand.append(f)
    index = {f: i for i, f in enumerate(files)}
    base = len(have)
    for _ in range(n):
        best = max(cand, key=lambda f: (len(ft[index[f]] - have), -os.path.getsize(f)),
                   default=None)
        if best is None or not ft[index[best]] - have:
            break
        gain = len(ft[index[best]] - have)
        have |= ft[index[best]]
        cand.remove(best)
        print(best)
        print(best, gain, os.path.getsize(best), file=sys.stderr)
    print(f"features: committed {base}, with the picks {len(have)}", file=sys.stderr)


if __name__ == '__main__':
    main()
