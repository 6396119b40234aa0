// Validates erigon_vmtrace.mjs against REAL Erigon output: the rpc-tests pairs in
// ../../shared/upstream-vmtrace (reference vmtrace.md §6.1) give, for the same mainnet
// transaction, Erigon's struct logs with stack (debug_traceTransaction) and Erigon's vmTrace
// (trace_replayTransaction). The struct logs are turned back into Geth hooks and fed to our
// OeTracer; its ops must equal Erigon's in pc, op, idx, cost, used, push, store and sub shape.
// Memory is not in those struct logs, so `mem` is not compared. Skips when the data is absent.
// Usage: node validate_erigon.mjs [shared-dir]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OeTracer } from './erigon_vmtrace.mjs';
import { OP, CALL_OPS, CREATE_OPS } from './geth_opcodes.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const shared = process.argv[2] ?? path.join(ROOT, '..', '..', 'shared');
const base = path.join(shared, 'upstream-vmtrace/erigontech/rpc-tests/integration/mainnet');
// trace_replayTransaction / debug_traceTransaction pairs with stack and storage (§6.1)
const PAIRS = [['trace_replayTransaction/test_29.json', 'debug_traceTransaction/test_110.json'],
  ['trace_replayTransaction/test_46.json', 'debug_traceTransaction/test_106.json'],
  ['trace_replayTransaction/test_48.json', 'debug_traceTransaction/test_107.json']];

const result = (file) => {
  const d = JSON.parse(fs.readFileSync(path.join(base, file), 'utf8'));
  return (Array.isArray(d) ? d[0] : d).response.result;
};

/** Sub codes in pre-order, so the hooks can carry them (struct logs have no code). */
function subCodes(vm, out = []) {
  for (const o of vm.ops) if (o.sub) { out.push(o.sub.code); subCodes(o.sub, out); }
  return out;
}

/** Geth hooks reconstructed from struct logs: enter before a deeper log, exit after the last
 *  log of a frame; a call op followed by a log at the same depth entered and left at once. */
function hooks(logs, codes, txIndexFromIdx) {
  const ev = [{ kind: 'enter', depth: 0, typ: OP.CALL, input: new Uint8Array(), code: new Uint8Array(), gas: BigInt(logs[0].gas), value: 0n, precompile: false }];
  let c = 0;
  const hex = (h) => Buffer.from(h.slice(2), 'hex');
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i];
    const op = OP[l.op] ?? (l.op === 'SHA3' ? OP.KECCAK256 : undefined);
    ev.push({ kind: 'op', pc: l.pc, op, gas: BigInt(l.gas), cost: BigInt(l.gasCost), depth: l.depth, stack: l.stack.map(BigInt), memory: new Uint8Array() });
    const next = logs[i + 1];
    const entersFrame = CALL_OPS.has(op) || CREATE_OPS.has(op) || op === OP.SELFDESTRUCT;
    if (next && next.depth > l.depth) {
      const code = hex(codes[c++]);
      ev.push({ kind: 'enter', depth: l.depth, typ: op, input: code, code, gas: BigInt(next.gas), value: 0n, precompile: false });
    } else if (entersFrame && (!next || next.depth === l.depth) && !l.error) {
      const code = hex(codes[c++]);
      ev.push({ kind: 'enter', depth: l.depth, typ: op, input: code, code, gas: 0n, value: 0n, precompile: true });
      ev.push({ kind: 'exit', depth: l.depth, output: new Uint8Array(), gasUsed: 0n, error: null, reverted: false });
    }
    for (let d = l.depth; next ? d > next.depth : d >= 1; d--) {
      ev.push({ kind: 'exit', depth: d - 1, output: new Uint8Array(), gasUsed: 0n, error: null, reverted: false });
    }
  }
  return ev;
}

function compareOps(a, b, where, stats) {
  if (a.ops.length !== b.ops.length) throw new Error(`${where}: ${a.ops.length} ops vs Erigon ${b.ops.length}`);
  a.ops.forEach((x, k) => {
    const y = b.ops[k];
    const pick = (o) => JSON.stringify([o.pc, o.op, o.idx, o.cost, o.ex && [o.ex.used, o.ex.push, o.ex.store], Boolean(o.sub)]);
    if (pick(x) !== pick(y)) throw new Error(`${where} op ${y.idx}: ours ${pick(x)} vs Erigon ${pick(y)}`);
    stats.ops++;
    if (x.sub) compareOps(x.sub, y.sub, where, stats);
  });
}

if (!fs.existsSync(base)) {
  console.log(`skip: ${base} not found`);
  process.exit(0);
}
/** [label, Erigon vmTrace result, struct logs] for every transaction of every pair. */
function cases() {
  const out = PAIRS.map(([rt, dt]) => [`${rt} vs ${dt}`, result(rt), result(dt).structLogs]);
  const block = result('trace_replayBlockTransactions/test_02.json');
  const blockLogs = result('debug_traceBlockByNumber/test_15.json');
  block.forEach((r, k) => {
    if (blockLogs[k].txHash !== r.transactionHash) throw new Error('block pair out of order');
    out.push([`block 0x52A0B3 tx ${k} ${r.transactionHash.slice(0, 10)}`, r, blockLogs[k].result.structLogs]);
  });
  return out;
}

let failed = 0;
let total = 0;
for (const [label, erigon, logs] of cases()) {
  const txIndex = Number(erigon.vmTrace.ops[0].idx.split('-')[0]);
  const tracer = new OeTracer(txIndex, 'modern');
  for (const e of hooks(logs, subCodes(erigon.vmTrace), txIndex)) tracer.onEvent(e);
  const stats = { ops: 0 };
  try {
    compareOps(tracer.root, erigon.vmTrace, label, stats);
    total += stats.ops;
    console.log(`ok   ${label}: ${stats.ops} ops equal (pc, op, idx, cost, used, push, store, sub)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${e.message}`);
  }
}
console.log(`${total} real Erigon ops reproduced, ${failed} failing transaction(s)`);
process.exit(failed ? 1 : 0);
