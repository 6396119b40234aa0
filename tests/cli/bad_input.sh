#!/bin/bash
# `ctrecord` against bad input, for every subcommand. Each case checks the promise of
# docs/cli.md: the process does not crash (no signal, no sanitizer report), exits with a code of
# the documented set (1 input, 2 usage, 3 I/O), prints exactly one error line on stderr (after
# any `warning:` lines) that names the place (file and byte offset, op path, JSON path, event or
# transaction index), and leaves no output that looks complete and no temporary names
# (*.tmp-*, *.partial) behind. Environment (set by ctest): CT_CLI, CT_SOURCE_DIR, CT_BINARY_DIR,
# optional CT_PYTHON (archives with hostile member names).
set -u
CLI=${CT_CLI:?CT_CLI is not set}
SRC=${CT_SOURCE_DIR:?CT_SOURCE_DIR is not set}
ROOT=$(mktemp -d "${CT_BINARY_DIR:-/tmp}/cli-bad-input.XXXXXX") || exit 1
trap 'rm -rf "$ROOT"' EXIT
# Sanitizer findings get exit codes no documented outcome uses.
export ASAN_OPTIONS="exitcode=99:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=98:print_stacktrace=1"
SAMPLE=$SRC/trace-samples/erc20/transfer/vmtrace.json
ART=$SRC/trace-samples/erc20/solc-output.json
CASES=0
FAILS=0

fail() {
    echo "FAIL [$CASE]: $*"
    [ -s "$W/.stderr" ] && sed 's/^/    stderr: /' "$W/.stderr" | head -5
    FAILS=$((FAILS + 1))
}

# A fresh folder for one case; the case's inputs are made in it, and the command runs in it.
new_case() {
    CASE=$1
    CASES=$((CASES + 1))
    W=$ROOT/c$CASES
    mkdir -p "$W" && cd "$W" || exit 1
}

# expect CODES WHERE OUT [args...]: run `ctrecord args...` in the case folder.
#   CODES  allowed exit codes ("1", "1 3")
#   WHERE  extended regex the error line must match (the place it names)
#   OUT    "-" (nothing), a path that must not exist afterwards, or "=path" that must be unchanged
expect() {
    local codes=$1 where=$2 out=$3 before="" rc n last bad
    shift 3
    [ "${out:0:1}" = "=" ] && before=$(cd "$W" && find "${out:1}" -printf '%p %s %T@\n' 2>&1 | sort)
    timeout 120 "$CLI" "$@" >"$W/.stdout" 2>"$W/.stderr" <"${STDIN:-/dev/null}"
    rc=$?
    if grep -qE 'Sanitizer|runtime error:' "$W/.stderr"; then
        fail "sanitizer report (exit $rc)"
    elif [ $rc -eq 124 ]; then
        fail "hung (killed after 120 s)"
    elif [ $rc -ge 98 ]; then
        fail "crashed or sanitizer exit ($rc)"
    elif [[ " $codes " != *" $rc "* ]]; then
        fail "exit $rc, expected one of: $codes"
    fi
    n=$(grep -cvE '^ctrecord [a-z]+: warning: ' "$W/.stderr")
    last=$(tail -n 1 "$W/.stderr")
    if [ "$n" -ne 1 ] || [ "$(wc -l <"$W/.stderr")" -lt 1 ]; then
        fail "expected exactly one error line on stderr, got $n"
    elif grep -qE '^ctrecord [a-z]+: warning: ' <<<"$last"; then
        fail "the error is not the last line"
    elif ! grep -qE "^ctrecord $1: " <<<"$last"; then
        fail "the error line does not start with 'ctrecord $1: '"
    elif ! grep -qE -- "$where" <<<"$last"; then
        fail "the error line does not name the place /$where/"
    fi
    if [ "${out:0:1}" = "=" ]; then
        [ "$before" = "$(cd "$W" && find "${out:1}" -printf '%p %s %T@\n' 2>&1 | sort)" ] ||
            fail "${out:1} was changed"
    elif [ "$out" != "-" ] && [ -e "$out" ]; then
        fail "$out exists after a failure"
    fi
    bad=$(cd "$W" && find . -name '*.tmp-*' -o -name '*.partial' | head -3)
    [ -z "$bad" ] || fail "left behind: $bad"
    cd "$ROOT" || exit 1
}

# ---- inputs -------------------------------------------------------------------------------

op() { printf '{"pc":%s,"cost":%s,"ex":{"used":%s,"push":[%s],"mem":null,"store":null},"sub":null}' "$@"; }
# A valid trace_replayTransaction response (PUSH1 PUSH1 MSTORE PUSH1 SLOAD STOP); op path 1 is
# the one mutated below, op path 2 holds the memory write.
OPS="$(op 0 3 97 '"0x2a"'),$(op 2 3 94 '"0x0"'),"
OPS+='{"pc":4,"cost":6,"ex":{"used":88,"push":[],"mem":{"off":0,"data":"0x'
OPS+="$(printf '0%.0s' {1..62})2a"'"},"store":null},"sub":null},'
OPS+="$(op 5 3 85 '"0x1"'),$(op 7 800 85 '"0x9"'),$(op 8 0 85 '')"
TX='{"output":"0x","trace":[{"action":{"to":"0xaa","gas":"0x64","input":"0x0100","value":"0x0"},'
TX+='"result":{"gasUsed":"0x17"},"type":"call","traceAddress":[]}],"vmTrace":{"code":'
TX+='"0x602a60005260015400","ops":['"$OPS"']},"transactionHash":"0xabc"}'
GOOD='{"jsonrpc":"2.0","id":1,"result":'"$TX"'}'
OP1='{"pc":2,"cost":3,"ex":{"used":94,"push":["0x0"],"mem":null,"store":null},"sub":null}'
MEM2='"mem":{"off":0,"data":"0x'"$(printf '0%.0s' {1..62})"'2a"}'

# mutate FILE OLD NEW: FILE = GOOD with OLD replaced (OLD must occur, so no case tests nothing).
mutate() {
    [[ "$GOOD" == *"$2"* ]] || { echo "test bug: '$2' not in the base document"; exit 1; }
    printf '%s' "${GOOD/"$2"/"$3"}" >"$1"
}

# Both replaying commands on one input file; WHERE applies to both.
both() {
    local codes=$1 where=$2 in=$3
    expect "$codes" "$where" out.json structlogs -o out.json "$in"
    new_case "$CASE (evm)"
    cp "$ROOT/c$((CASES - 1))/$in" . 2>/dev/null
    [ -d "$ROOT/c$((CASES - 1))/$in" ] && mkdir -p "$in"
    expect "$codes" "$where" out evm "$in" -a "$ART" -o out -q
}

new_case empty;        : >in.json;                      both 1 'in\.json: byte 0:' in.json
new_case whitespace;   printf ' \n\t ' >in.json;        both 1 'in\.json: byte 4:' in.json
new_case null;         echo null >in.json;              both 1 'in\.json: byte 0:' in.json
new_case empty-array-object; echo '[{}]' >in.json;      both 1 'in\.json: byte [0-9]+' in.json
new_case empty-object; echo '{}' >in.json;              both 1 'in\.json: byte 0:' in.json
# Random bytes after a fixed first byte (random whitespace first would move the offset).
garbage() { printf '\x86'; head -c "$1" /dev/urandom | tr -d '\0'; }
new_case garbage;      garbage 4096 >in.json
                       both 1 'in\.json: byte 0:' in.json
new_case nul-bytes;    head -c 64 /dev/zero >in.json;   both 1 'in\.json: byte 0:' in.json
new_case directory;    mkdir in.json;                   both 3 'in\.json' in.json
new_case missing;      both 3 'in\.json: cannot open' in.json
new_case trailing;     printf '%s x' "$GOOD" >in.json;  both 1 'in\.json: byte [0-9]+: expected end' in.json
new_case two-documents; printf '%s%s' "$GOOD" "$GOOD" >in.json
                       both 1 'in\.json: byte [0-9]+' in.json
new_case deep-arrays;  head -c 200000 /dev/zero | tr '\0' '[' >in.json
                       both 1 'in\.json: byte [0-9]+' in.json
new_case deep-objects; for i in $(seq 20000); do printf '{"a":'; done >in.json
                       both 1 'in\.json: byte [0-9]+' in.json
new_case rpc-error
printf '{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header\\nnot found\\r"}}' >in.json
both 1 'in\.json: byte [0-9]+: the response is a JSON-RPC error: header.*not found' in.json

# The real sample cut at 20 places (mid-string, mid-number, between tokens).
size=$(stat -c %s "$SAMPLE")
for i in $(seq 1 20); do
    cut=$((size * i / 21 + i * 7))
    new_case "truncated at $cut"
    head -c $cut "$SAMPLE" >in.json
    expect 1 "in\\.json: byte $cut: " out.json structlogs -o out.json in.json
done
new_case truncated-evm; head -c 30000 "$SAMPLE" >in.json
expect 1 'in\.json: byte 30000: ' out evm in.json -a "$ART" -o out -q

# gzip: cut, a flipped byte, a bare header, a good stream followed by junk.
gzip -c "$SAMPLE" >"$ROOT/sample.gz"
gsize=$(stat -c %s "$ROOT/sample.gz")
new_case gzip-truncated; head -c $((gsize / 2)) "$ROOT/sample.gz" >in.gz
both 1 'in\.gz: compressed byte [0-9]+: truncated' in.gz
new_case gzip-flipped; cp "$ROOT/sample.gz" in.gz
printf '\x55' | dd of=in.gz bs=1 seek=$((gsize / 2)) conv=notrunc 2>/dev/null
both 1 'in\.gz: (compressed )?byte [0-9]+' in.gz
new_case gzip-crc; cp "$ROOT/sample.gz" in.gz
printf '\x00\x00' | dd of=in.gz bs=1 seek=$((gsize - 8)) conv=notrunc 2>/dev/null
both 1 'in\.gz: compressed byte [0-9]+' in.gz
new_case gzip-header-only; printf '\x1f\x8b' >in.gz; both 1 'in\.gz: compressed byte 2' in.gz
new_case gzip-junk-after; { cat "$ROOT/sample.gz"; echo junk; } >in.gz
both 1 'in\.gz: compressed byte [0-9]+' in.gz

new_case stdin-garbage; garbage 500 >in.bin
STDIN=in.bin expect 1 '<stdin>: byte 0:' - structlogs -
new_case stdin-garbage-evm; garbage 500 >in.bin
STDIN=in.bin expect 1 '<stdin>: byte 0:' out evm - -a "$ART" -o out -q

# Every vmTrace field with a wrong value: the error names the byte and the op path.
at1='in\.json: byte [0-9]+: tx 0 op path 1: '
field() {   # field NAME OLD NEW WHERE
    new_case "$1"
    mutate in.json "$2" "$3"
    expect 1 "$4" out.json structlogs -o out.json in.json
}
field pc-1e400      '"pc":2,' '"pc":1e400,'                     "$at1\`pc\`"
field pc-huge       '"pc":2,' '"pc":99999999999999999999999,'   "$at1\`pc\`"
field pc-2^64       '"pc":2,' '"pc":18446744073709551616,'      "$at1\`pc\`"
field pc-negative   '"pc":2,' '"pc":-2,'                        "$at1\`pc\`"
field pc-fraction   '"pc":2,' '"pc":2.5,'                       "$at1\`pc\`"
field pc-string     '"pc":2,' '"pc":"2",'                       "$at1\`pc\`"
field pc-null       '"pc":2,' '"pc":null,'                      "$at1\`pc\`"
field cost-negative '"pc":2,"cost":3' '"pc":2,"cost":-3'        "$at1\`cost\`"
field cost-array    '"pc":2,"cost":3' '"pc":2,"cost":[]'        "$at1\`cost\`"
field used-huge     '"used":94' '"used":1e400'                  "$at1\`ex\\.used\`"
field used-string   '"used":94' '"used":"94"'                   "$at1\`ex\\.used\`"
field ex-null       "$OP1" '{"pc":2,"cost":3,"ex":null,"sub":null}' 'in\.json: byte [0-9]+: tx 0 (step|op path) '
field ex-array      "$OP1" '{"pc":2,"cost":3,"ex":[],"sub":null}'   'in\.json: byte [0-9]+: tx 0 (step|op path) '
field push-number   '"push":["0x0"]' '"push":[0]'               "$at1\`ex\\.push"
field push-object   '"push":["0x0"]' '"push":{}'                "$at1\`ex\\.push\`"
field push-no-0x    '"push":["0x0"]' '"push":["00"]'            "$at1\`ex\\.push"
field push-not-hex  '"push":["0x0"]' '"push":["0xzz"]'          "$at1\`ex\\.push"
field push-257-bits '"push":["0x0"]' '"push":["0x1'"$(printf '0%.0s' {1..64})"'"]' "$at1\`ex\\.push"
field push-100      '"push":["0x0"]' '"push":['"$(printf '"0x1",%.0s' {1..99})"'"0x1"]' "$at1\`ex\\.push\`"
field store-array   "$OP1" '{"pc":2,"cost":3,"ex":{"used":94,"push":["0x0"],"mem":null,"store":[]},"sub":null}' "$at1\`ex\\.store"
field store-bad-key "$OP1" '{"pc":2,"cost":3,"ex":{"used":94,"push":["0x0"],"mem":null,"store":{"key":"0xzz","val":"0x1"}},"sub":null}' "$at1\`ex\\.store"
field sub-number    "$OP1" '{"pc":2,"cost":3,"ex":{"used":94,"push":["0x0"],"mem":null,"store":null},"sub":5}' "$at1\`sub\`"
field sub-empty     "$OP1" '{"pc":2,"cost":3,"ex":{"used":94,"push":["0x0"],"mem":null,"store":null},"sub":{}}' 'in\.json: byte [0-9]+: tx 0 (step|op path) '
at2='in\.json: byte [0-9]+: tx 0 (step 2 MSTORE \()?op path 2\)?: '
field mem-off-2^64-16 '"off":0,' '"off":18446744073709551600,'  "$at2.*memory"
field mem-off-max     '"off":0,' '"off":18446744073709551615,'  "$at2.*memory"
field mem-off-neg     '"off":0,' '"off":-1,'                    "$at2\`ex\\.mem\\.off\`"
field mem-off-null    '"off":0,' '"off":null,'                  "$at2\`ex\\.mem\\.off\`"
field mem-data-odd    '"data":"0x0' '"data":"0x'                "$at2\`ex\\.mem\\.data\`"
field mem-data-hex    '"data":"0x0' '"data":"0xg'               "$at2\`ex\\.mem\\.data\`"
field mem-string      "$MEM2" '"mem":"0x00"'                    "$at2\`ex\\.mem\`"
at0='in\.json: byte [0-9]+: tx 0 op path 0: '
field code-odd      '"0x602a60005260015400"' '"0x602a6000526001540"'  "$at0\`code\`"
field code-not-hex  '"0x602a60005260015400"' '"0x602a600052600154zz"' "$at0\`code\`"
field code-no-0x    '"0x602a60005260015400"' '"602a60005260015400"'   "$at0\`code\`"
field code-number   '"0x602a60005260015400"' '7'                      "$at0\`code\`"
field ops-object    '"ops":[' '"ops":{"x":['                    "$at0\`ops\`"
field pc-past-code  '"pc":2,' '"pc":900,'                       'in\.json: byte [0-9]+: tx 0 step 1 .*op path 1'
field underflow     '"0x602a60005260015400"' '"0x012a60005260015400"' 'in\.json: byte [0-9]+: tx 0 step 0 ADD \(op path 0\): stack underflow'
field hash-number   '"transactionHash":"0xabc"' '"transactionHash":5' 'in\.json: byte [0-9]+: .*transactionHash'
# CALLs nested 5000 deep (the EVM stops at 1024): refused by depth, not by the C stack.
new_case sub-nesting-5000
PUSHES=$(for i in 0 1 2 3 4 5 6; do printf '{"pc":%d,"cost":3,"ex":{"used":999999,"push":["0x0"],"mem":null,"store":null},"sub":null},' $((2 * i)); done)
pre=''; suf=''
for i in $(seq 5000); do
    pre+='{"code":"0x6000600060006000600060006000f1","ops":['"$PUSHES"
    pre+='{"pc":14,"cost":100,"ex":{"used":999999,"push":["0x1"],"mem":null,"store":null},"sub":'
    suf+='}]}'
done
printf '{"output":"0x","vmTrace":%s%s%s}' "$pre" \
    '{"code":"0x00","ops":[{"pc":0,"cost":0,"ex":{"used":9,"push":[],"mem":null,"store":null},"sub":null}]}' \
    "$suf" >in.json
both 1 'in\.json: byte [0-9]+: tx 0 op path 7-7-7.*: call frames nested deeper than' in.json
# The same errors reach `evm` with the same place.
new_case evm-push-100
mutate in.json '"push":["0x0"]' '"push":['"$(printf '"0x1",%.0s' {1..99})"'"0x1"]'
expect 1 "$at1\`ex\\.push\`" out evm in.json -a "$ART" -o out -q
new_case evm-underflow; mutate in.json '"0x602a60005260015400"' '"0x012a60005260015400"'
expect 1 'in\.json: byte [0-9]+: tx 0 step 0 ADD' out evm in.json -a "$ART" -o out -q
new_case evm-warnings-then-error   # no -q: warnings first, the error last, still one error line
mutate in.json '"0x602a60005260015400"' '"0x012a60005260015400"'
expect 1 'in\.json: byte [0-9]+: tx 0 step 0 ADD' out evm in.json -a "$ART" -o out

# ---- outputs ------------------------------------------------------------------------------

new_case structlogs-no-parent; printf '%s' "$GOOD" >in.json
expect 3 'nope/out\.json' - structlogs -o nope/out.json in.json
[ -e nope ] && fail "nope/ was created"
new_case structlogs-onto-directory; printf '%s' "$GOOD" >in.json; mkdir d; touch d/keep
expect 3 'd' =d structlogs -o d in.json
new_case structlogs-failure-keeps-old-file; echo old >out.json; printf '{"x":' >in.json
expect 1 'in\.json: byte 5' =out.json structlogs -o out.json in.json
if [ -c /dev/full ]; then
    new_case structlogs-dev-full; printf '%s' "$GOOD" >in.json
    expect 3 '/dev/full: write failed' - structlogs -o /dev/full in.json
    [ -c /dev/full ] || { fail "/dev/full was replaced by a file"; rm -f /dev/full; mknod -m 666 /dev/full c 1 7; }
    new_case structlogs-stdout-full; printf '%s' "$GOOD" >in.json
    "$CLI" structlogs in.json >/dev/full 2>.stderr; rc=$?
    [ $rc -eq 3 ] && [ "$(wc -l <.stderr)" -eq 1 ] && grep -q '<stdout>: write failed' .stderr ||
        fail "stdout on a full device: exit $rc"
fi

new_case evm-onto-file; printf '%s' "$GOOD" >in.json; echo keep >out
expect 2 'out: already exists' =out evm in.json -a "$ART" -o out -q
new_case evm-force-onto-file; printf '%s' "$GOOD" >in.json; echo keep >out
expect 2 'out: exists and is not a trace folder' =out evm in.json -a "$ART" -o out -q --force
new_case evm-force-onto-other-folder; printf '%s' "$GOOD" >in.json; mkdir out; echo x >out/notes.txt
expect 2 'out: exists and is not a trace folder' =out evm in.json -a "$ART" -o out -q --force
new_case evm-parent-is-file; printf '%s' "$GOOD" >in.json; echo x >f
expect 3 'f' =f evm in.json -a "$ART" -o f/out -q

# A block whose third transaction is bad: no block folder at all (not two of three traces).
BAD_TX=${TX/0x602a60005260015400/0x012a60005260015400}
new_case evm-block-bad-entry
printf '[%s,%s,%s]' "$TX" "${TX/0xabc/0xabd}" "${BAD_TX/0xabc/0xabe}" >in.json
expect 1 'in\.json: byte [0-9]+: tx 2 step 0 ADD' blk evm in.json -a "$ART" -o blk -q
new_case evm-block-bad-entry-force   # an older complete block is kept as it was
printf '[%s]' "$TX" >ok.json
"$CLI" evm ok.json -a "$ART" -o blk -q >/dev/null 2>&1 || fail "the good block failed"
printf '[%s,%s]' "${TX/0xabc/0xabd}" "${BAD_TX/0xabc/0xabe}" >in.json
expect 1 'tx 1 step 0 ADD' =blk evm in.json -a "$ART" -o blk -q --force
new_case evm-block-hash-escapes
printf '[%s]' "${TX/0xabc/..\/..\/escaped}" >in.json
expect 1 'in\.json: tx 0: `transactionHash` is not a 0x hex hash' blk evm in.json -a "$ART" -o sub/blk -q
[ -e "$ROOT/escaped" ] || [ -e escaped ] && fail "a trace folder was written outside the block"
new_case evm-block-same-hash-twice; printf '[%s,%s]' "$TX" "$TX" >in.json
expect 1 'in\.json: tx 1: `transactionHash` 0xabc repeats' blk evm in.json -a "$ART" -o blk -q
new_case evm-block-same-hash-twice-force; printf '[%s,%s]' "$TX" "$TX" >in.json
expect 1 'in\.json: tx 1: `transactionHash` 0xabc repeats' blk evm in.json -a "$ART" -o blk -q --force
new_case evm-block-hash-slash; printf '[%s]' "${TX/0xabc/0xa\/b}" >in.json
expect 1 'in\.json: tx 0: `transactionHash`' blk evm in.json -a "$ART" -o blk -q
new_case evm-block-hash-dot; printf '[%s]' "${TX/0xabc/.}" >in.json
expect 1 'in\.json: tx 0: `transactionHash`' blk evm in.json -a "$ART" -o blk -q

# ---- artifacts and sources ----------------------------------------------------------------

evm_art() {   # evm_art NAME CODES WHERE ARTIFACT-FILE-CONTENT [more evm args]
    new_case "$1"
    cp "$SAMPLE" in.json
    printf '%s' "$4" >art.json
    local codes=$2 where=$3
    shift 4
    expect "$codes" "$where" out evm in.json -a art.json -o out -q "$@"
}
evm_art art-truncated    1 'art\.json: byte [0-9]+' '{"contracts":{'
evm_art art-array        1 'art\.json: not solc' '[]'
evm_art art-object       1 'art\.json: not solc' '{}'
evm_art art-garbage      1 'art\.json: byte 0' "$(garbage 300)"
evm_art art-empty        1 'art\.json: byte 0' ''
evm_art art-contracts-number 1 'art\.json: `contracts` must be an object' '{"contracts":5}'
evm_art art-contracts-array  1 'art\.json: `contracts` must be an object' '{"contracts":[1]}'
evm_art art-combined-array 1 'art\.json: `contracts` must be an object' '{"sourceList":[],"contracts":[{}]}'
evm_art art-unit-string  1 'art\.json: `contracts\.a\.sol` must be an object' '{"contracts":{"a.sol":"x"}}'
evm_art art-sources-array 1 'art\.json: `sources` must be an object' '{"contracts":{},"sources":[]}'
new_case art-missing; cp "$SAMPLE" in.json
expect 3 'nope\.json: cannot open' out evm in.json -a nope.json -o out -q
new_case art-srcmap-malformed; cp "$SAMPLE" in.json
sed 's/"sourceMap":"145:1838:0:-:0;;;;/"sourceMap":"x:y:z;;;;/' "$ART" >art.json
expect 1 'art\.json: Token \(runtime code\): source map entry 0' out evm in.json -a art.json -o out -q \
    --sources "$SRC/trace-samples"
new_case art-srcmap-past-source; cp "$SAMPLE" in.json   # a warning, the trace is still valid
sed 's/"sourceMap":"145:1838:0:-:0;;;;/"sourceMap":"99999999:5:0:-:0;;;;/' "$ART" >art.json
"$CLI" evm in.json -a art.json -o out --sources "$SRC/trace-samples" >/dev/null 2>.stderr ||
    fail "exit $? for a source map past its source"
grep -q 'point outside their sources' .stderr || fail "no warning for a source map past its source"
"$CLI" validate out >/dev/null 2>&1 || fail "the trace does not validate"
new_case git-not-a-repo; cp "$SAMPLE" in.json; mkdir plain
expect 2 'plain: not a git repository' out evm in.json -a "$ART" -o out -q --git plain
if command -v git >/dev/null; then
    new_case git-bad-rev; cp "$SAMPLE" in.json
    git init -q repo && git -C repo -c user.name=t -c user.email=t@t commit -q --allow-empty -m x
    expect 2 "repo: git revision 'no-such-rev' not found" out evm in.json -a "$ART" -o out -q --git repo --rev no-such-rev
fi
new_case address-not-hex; cp "$SAMPLE" in.json
expect 2 "address map entry 0: 'zz'" out evm in.json -a "$ART" -o out -q --address zz=Token

# ---- validate -----------------------------------------------------------------------------

printf '%s' "$GOOD" >"$ROOT/good.json"
"$CLI" evm "$ROOT/good.json" -a "$ART" -o "$ROOT/trace" -q >/dev/null 2>&1 || fail "no base trace"
vcase() {   # vcase NAME WHERE CODES (the case folder holds t/, a copy of the base trace)
    expect "$3" "$2" =t validate t
}
new_case validate-missing;   expect 1 't: No such file' - validate t
new_case validate-file;      echo x >t; expect 1 't: not a folder' =t validate t
new_case validate-empty-dir; mkdir t; vcase x 'trace_metadata\.json: missing' 1
new_case validate-trace-garbage; cp -r "$ROOT/trace" t; echo garbage >t/trace.json
vcase x 'trace\.json: byte 0:' 1
new_case validate-trace-truncated; cp -r "$ROOT/trace" t; head -c 700 "$ROOT/trace/trace.json" >t/trace.json
vcase x 'trace\.json: byte 700:' 1
new_case validate-trace-deep; cp -r "$ROOT/trace" t; head -c 100000 /dev/zero | tr '\0' '[' >t/trace.json
vcase x 'trace\.json: byte [0-9]+' 1
new_case validate-trace-dir; cp -r "$ROOT/trace" t; rm t/trace.json; mkdir t/trace.json
vcase x 'trace\.json' '1 3'
new_case validate-trace-fifo; cp -r "$ROOT/trace" t; rm t/trace.json; mkfifo t/trace.json
vcase x 'trace\.json: not a regular file' 1
new_case validate-meta-fifo; cp -r "$ROOT/trace" t; rm t/trace_metadata.json; mkfifo t/trace_metadata.json
vcase x 'trace_metadata\.json: not a regular file' 1
new_case validate-event-newline; cp -r "$ROOT/trace" t; printf '[{"Path":"a\\nb"}]' >t/trace.json
vcase x 'trace\.json: event 0' 1
new_case validate-meta-truncated; cp -r "$ROOT/trace" t; echo '{' >t/trace_metadata.json
vcase x 'trace_metadata\.json' 1
new_case validate-meta-array; cp -r "$ROOT/trace" t; echo '[]' >t/trace_metadata.json
vcase x 'trace_metadata\.json' 1
new_case validate-paths-object; cp -r "$ROOT/trace" t; echo '{}' >t/trace_paths.json
vcase x 'trace_paths\.json' 1

# ---- bundle, unbundle ---------------------------------------------------------------------

"$CLI" bundle "$ROOT/trace" -o "$ROOT/good.tar.gz" || fail "no base bundle"
new_case bundle-missing;     expect 3 'nope' out.tgz bundle nope -o out.tgz
new_case bundle-file;        echo x >f; expect 2 'f: not a folder' out.tgz bundle f -o out.tgz
new_case bundle-onto-dir;    mkdir d; expect 2 'd: exists and is not a regular file' =d bundle "$ROOT/trace" -o d
new_case bundle-no-parent;   expect 3 'nope' - bundle "$ROOT/trace" -o nope/out.tgz
new_case bundle-into-itself; cp -r "$ROOT/trace" t; expect 2 'cannot be written inside' - bundle t -o t/b.tgz
[ -e t/b.tgz ] && fail "t/b.tgz exists"
if [ "$(id -u)" = 0 ]; then   # as root, a rename would replace the device node
    new_case bundle-onto-device; mknod dev c 1 3
    expect 2 'dev: exists and is not a regular file' =dev bundle "$ROOT/trace" -o dev
    new_case evm-force-onto-device; mknod dev c 1 3; printf '%s' "$GOOD" >in.json
    expect 2 'dev: exists and is not a trace folder' =dev evm in.json -a "$ART" -o dev -q --force
fi
bsize=$(stat -c %s "$ROOT/good.tar.gz")
new_case unbundle-garbage;   garbage 300 >b.tgz; expect 1 'b\.tgz' out unbundle b.tgz -o out
new_case unbundle-empty;     : >b.tgz; expect 1 'b\.tgz' out unbundle b.tgz -o out
new_case unbundle-truncated; head -c $((bsize / 2)) "$ROOT/good.tar.gz" >b.tgz
expect 1 'b\.tgz: .*truncated' out unbundle b.tgz -o out
new_case unbundle-flipped;   cp "$ROOT/good.tar.gz" b.tgz
printf '\x55\xaa' | dd of=b.tgz bs=1 seek=$((bsize / 2)) conv=notrunc 2>/dev/null
expect 1 'b\.tgz: ' out unbundle b.tgz -o out
new_case unbundle-directory; mkdir b.tgz; expect 3 'b\.tgz' out unbundle b.tgz -o out
new_case unbundle-exists;    mkdir out; expect 2 'out: already exists' =out unbundle "$ROOT/good.tar.gz" -o out
new_case unbundle-no-parent; expect 3 'nope' - unbundle "$ROOT/good.tar.gz" -o nope/out
new_case unbundle-stdin-garbage; garbage 300 >g.bin
STDIN=g.bin expect 3 '-: cannot open' out unbundle - -o out   # no stdin for archives
new_case unbundle-symlink; ln -s /etc/passwd link; tar czf b.tgz link
expect 1 'link' out unbundle b.tgz -o out
if [ -n "${CT_PYTHON:-}" ]; then   # names GNU tar would not write
    for name in ../escape /abs/escape a/../../escape; do
        new_case "unbundle-member $name"
        "$CT_PYTHON" - "$name" <<'EOF'
import io, sys, tarfile
with tarfile.open("b.tgz", "w:gz", format=tarfile.USTAR_FORMAT) as t:
    data = b"x"
    info = tarfile.TarInfo(sys.argv[1]); info.size = len(data)
    t.addfile(info, io.BytesIO(data))
EOF
        expect 1 'escape' out unbundle b.tgz -o out
        [ -e "$ROOT/escape" ] || [ -e /abs/escape ] && fail "a member was written outside"
    done
fi

# ---- usage --------------------------------------------------------------------------------

new_case usage-unknown-flag; expect 2 "unknown option '--nope'" - structlogs --nope x
new_case usage-no-input;     expect 2 'no input given' - evm -a x -o y
new_case usage-number-overflow; expect 2 "--max-memory needs a non-negative integer" - structlogs --max-memory 99999999999999999999999 x
new_case usage-bad-number;   expect 2 "--max-memory needs a non-negative integer" - structlogs --max-memory -5 x

echo "$CASES cases, $FAILS failed"
[ "$FAILS" -eq 0 ]
