// Independent self-check of the committed samples: replays every vmtrace.json the way the
// reference's recipe says a consumer should (vmtrace.md §7: pre-order walk, pops from the op
// table then ex.push, memory expanded by EVM rules then ex.mem copied, Geth-style storage) and
// demands that the result equals structlogs.json.gz frame by frame: pc, op, depth, gas, gasCost,
// stack, memory, storage, returnData. It shares only opcode names and pop counts with the
// generator. vmtrace.erigon-classic.json must differ from vmtrace.json exactly where the old
// Erigon defects apply.
// Usage: node check.mjs [project ...]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { NAMES, POPS, OP } from './geth_opcodes.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const big = (h) => BigInt(h);
const word = (v) => '0x' + v.toString(16).padStart(64, '0');
const qty = (v) => '0x' + v.toString(16);

class Mismatch extends Error {}

function fail(where, what, want, got) {
  throw new Mismatch(`${where}: ${what}: structlogs ${JSON.stringify(want)} vs replay ${JSON.stringify(got)}`);
}

/** EVM memory-expansion windows (offset, size) of an op, from the pre-op stack. */
function touched(op, s) {
  const b = (i) => s[s.length - 1 - i];
  switch (op) {
    case OP.MLOAD: case OP.MSTORE: return [[b(0), 32n]];
    case OP.MSTORE8: return [[b(0), 1n]];
    case OP.KECCAK256: case OP.RETURN: case OP.REVERT:
    case OP.LOG0: case OP.LOG1: case OP.LOG2: case OP.LOG3: case OP.LOG4: return [[b(0), b(1)]];
    case OP.CALLDATACOPY: case OP.CODECOPY: case OP.RETURNDATACOPY: return [[b(0), b(2)]];
    case OP.EXTCODECOPY: return [[b(1), b(3)]];
    case OP.MCOPY: return [[b(0), b(2)], [b(1), b(2)]];
    case OP.CREATE: case OP.CREATE2: return [[b(1), b(2)]];
    case OP.CALL: case OP.CALLCODE: return [[b(3), b(4)], [b(5), b(6)]];
    case OP.DELEGATECALL: case OP.STATICCALL: return [[b(2), b(3)], [b(4), b(5)]];
    default: return [];
  }
}

function expand(mem, windows) {
  let need = mem.length;
  for (const [off, size] of windows) {
    if (size === 0n) continue;
    const end = Number(((off + size + 31n) / 32n) * 32n);
    if (end > need) need = end;
  }
  if (need === mem.length) return mem;
  const grown = new Uint8Array(need);
  grown.set(mem);
  return grown;
}

function memoryWords(mem) {
  const out = [];
  for (let i = 0; i < mem.length; i += 32) out.push('0x' + Buffer.from(mem.subarray(i, i + 32)).toString('hex'));
  return out;
}

/** Replays one result; calls visit(frame) for each op in execution order. */
class Replay {
  constructor(result, logs) {
    this.result = result;
    this.logs = logs;
    this.i = 0;
    this.storage = new Map();
    this.creates = result.trace.filter((t) => t.type === 'create');
    this.calls = result.trace.slice(1); // child trace entries in pre-order
    this.traceCursor = 0;
  }

  run() {
    const root = this.result.trace[0];
    const address = root.type === 'create' ? root.result?.address : root.action.to;
    this.frame(this.result.vmTrace, 1, address, null);
    // Erigon drops a top-level STOP that directly follows a STOP (vmtrace.md §2.1); Geth logs it.
    const next = this.logs?.[this.i];
    if (next && next.op === 'STOP' && next.depth === 1 && this.lastOp === 'STOP' && this.i + 1 === this.logs.length) {
      this.i++;
      this.droppedStop = true;
      const f = this.rootFrame;
      if (BigInt(next.gas) !== f.gas) fail('dropped STOP', 'gas', next.gas, f.gas.toString());
      if (JSON.stringify(next.stack) !== JSON.stringify(f.stack.map(qty))) fail('dropped STOP', 'stack', next.stack, f.stack.map(qty));
    }
    if (this.logs && this.i !== this.logs.length) fail('end', 'op count', this.logs.length, this.i);
  }

  frame(vm, depth, address, createGas) {
    const f = { stack: [], mem: new Uint8Array(), returnData: '0x', gas: null, address };
    if (depth === 1) this.rootFrame = f;
    for (let k = 0; k < vm.ops.length; k++) {
      const o = vm.ops[k];
      const opcode = this.opcode(vm, o);
      const where = `op ${this.i} (${o.idx ?? k}, pc ${o.pc} ${NAMES[opcode]})`;
      if (f.gas === null) f.gas = o.ex ? BigInt(o.ex.used) + BigInt(o.cost) : createGas;
      if (f.jumpTo !== undefined && f.jumpTo !== BigInt(o.pc)) fail(where, 'jump destination from replayed stack', f.jumpTo.toString(), o.pc);
      f.jumpTo = opcode === OP.JUMP ? f.stack.at(-1)
        : opcode === OP.JUMPI ? (f.stack.at(-2) !== 0n ? f.stack.at(-1) : BigInt(o.pc + 1)) : undefined;
      if (this.logs) this.compare(where, o, opcode, depth, f);
      else this.i++;
      const pre = f.stack.slice();
      f.mem = expand(f.mem, touched(opcode, pre));
      if (o.sub) this.child(o, opcode, pre, depth, f);
      this.apply(where, o, opcode, pre, f);
    }
  }

  opcode(vm, o) {
    const code = Buffer.from(vm.code.slice(2), 'hex');
    const byte = o.pc < code.length ? code[o.pc] : OP.STOP;
    if (o.op !== NAMES[byte]) fail(`pc ${o.pc}`, 'op vs code byte', NAMES[byte], o.op);
    return byte;
  }

  compare(where, o, opcode, depth, f) {
    const log = this.logs[this.i++];
    if (!log) fail(where, 'extra op', null, o.op);
    this.lastOp = o.op;
    if (log.pc !== o.pc || log.op !== NAMES[opcode] || log.depth !== depth) {
      fail(where, 'pc/op/depth', [log.pc, log.op, log.depth], [o.pc, NAMES[opcode], depth]);
    }
    if (BigInt(log.gas) !== f.gas) fail(where, 'gas', log.gas, f.gas.toString());
    let cost = BigInt(o.cost);
    if ((opcode === OP.CREATE || opcode === OP.CREATE2) && o.sub) cost -= this.childGas(o);
    if (BigInt(log.gasCost) !== cost) fail(where, 'gasCost', log.gasCost, cost.toString());
    const stack = f.stack.map(qty);
    if (JSON.stringify(log.stack) !== JSON.stringify(stack)) fail(where, 'stack', log.stack, stack);
    const mem = memoryWords(f.mem);
    if (JSON.stringify(log.memory ?? []) !== JSON.stringify(mem)) fail(where, 'memory', log.memory, mem);
    if (f.returnData !== null && (log.returnData ?? '0x') !== f.returnData) {
      fail(where, 'returnData', log.returnData, f.returnData);
    }
    this.compareStorage(where, log, opcode, o, f);
    if (!o.ex && !log.error) fail(where, 'ex:null without a Geth error', log.error, null);
  }

  compareStorage(where, log, opcode, o, f) {
    if (opcode !== OP.SLOAD && opcode !== OP.SSTORE) {
      if (log.storage) fail(where, 'storage on a non-storage op', log.storage, undefined);
      return;
    }
    const key = f.address.toLowerCase();
    if (!this.storage.has(key)) this.storage.set(key, new Map());
    const slots = this.storage.get(key);
    const s = f.stack;
    if (opcode === OP.SLOAD) slots.set(word(s.at(-1)), word(big(o.ex.push[0])));
    else slots.set(word(s.at(-1)), word(s.at(-2)));
    const want = Object.fromEntries([...slots.entries()].sort());
    if (JSON.stringify(log.storage) !== JSON.stringify(want)) fail(where, 'storage', log.storage, want);
  }

  childGas(o) {
    if (o.sub.ops.length && o.sub.ops[0].ex) return BigInt(o.sub.ops[0].ex.used) + BigInt(o.sub.ops[0].cost);
    const t = this.creates.find((c) => c.action.init === o.sub.code);
    return BigInt(t.action.gas);
  }

  child(o, opcode, pre, depth, f) {
    const isCreate = opcode === OP.CREATE || opcode === OP.CREATE2;
    let addr = f.address;
    if (opcode === OP.CALL || opcode === OP.STATICCALL) addr = '0x' + (pre.at(-2) & ((1n << 160n) - 1n)).toString(16).padStart(40, '0');
    const entry = this.traceEntry(opcode, pre); // pre-order: before the child's own entries
    // a CREATE frame's address: the trace entry has it even when the init code fails
    if (isCreate) addr = entry?.result?.address ?? '0x' + big(o.ex.push[0]).toString(16).padStart(40, '0');
    this.frame(o.sub, depth + 1, addr, isCreate ? this.childGas(o) : null);
    f.returnData = this.childReturnData(entry, opcode);
  }

  // Erigon leaves zero-value precompile calls out of `trace`; every other sub has an entry.
  traceEntry(opcode, pre) {
    if (opcode !== OP.CREATE && opcode !== OP.CREATE2 && opcode !== OP.SELFDESTRUCT) {
      const to = pre.at(-2) & ((1n << 160n) - 1n);
      const value = opcode === OP.CALL || opcode === OP.CALLCODE ? pre.at(-3) : 0n;
      if (to > 0n && to <= 0x11n && value === 0n) return null;
    }
    return this.calls[this.traceCursor++];
  }

  // Geth's returnData after a call: the callee's output (success or revert), empty otherwise;
  // after CREATE only a revert's output. Unknown (null, not compared) for precompile calls,
  // whose output the vmTrace and the trace list do not carry.
  childReturnData(t, opcode) {
    if (opcode === OP.SELFDESTRUCT) return '0x';
    if (!t) return null;
    if (t.error && t.error !== 'Reverted') return '0x';
    if (t.type === 'create') return t.error === 'Reverted' ? t.result.code : '0x';
    return t.result.output;
  }

  apply(where, o, opcode, pre, f) {
    if (!o.ex) return;
    const pops = POPS[opcode];
    if (f.stack.length < pops) fail(where, 'stack underflow in replay', pops, f.stack.length);
    f.stack.length -= pops;
    for (const p of o.ex.push) f.stack.push(big(p));
    if (o.ex.mem) {
      const data = Buffer.from(o.ex.mem.data.slice(2), 'hex');
      f.mem = expand(f.mem, [[BigInt(o.ex.mem.off), BigInt(data.length)]]);
      f.mem.set(data, o.ex.mem.off);
    }
    f.gas = BigInt(o.ex.used);
  }
}

/** Old-Erigon variant: identical except PUSH0/TLOAD/BLOBHASH/BLOBBASEFEE push and MCOPY mem. */
function compareClassic(modern, classic) {
  let defects = 0;
  const walk = (a, b) => {
    if (a.code !== b.code || a.ops.length !== b.ops.length) throw new Mismatch('classic: frame shape differs');
    a.ops.forEach((x, k) => {
      const y = b.ops[k];
      const xs = { ...x, sub: null, ex: x.ex && { ...x.ex } };
      const ys = { ...y, sub: null, ex: y.ex && { ...y.ex } };
      if (x.ex && ['PUSH0', 'TLOAD', 'BLOBHASH', 'BLOBBASEFEE'].includes(x.op)) {
        if (y.ex.push.length !== 0) throw new Mismatch(`classic ${x.idx}: ${x.op} keeps its push`);
        xs.ex.push = []; defects++;
      }
      if (x.ex && x.op === 'MCOPY' && x.ex.mem) {
        if (y.ex.mem !== null) throw new Mismatch(`classic ${x.idx}: MCOPY keeps mem`);
        xs.ex.mem = null; defects++;
      }
      if (JSON.stringify(xs) !== JSON.stringify(ys)) throw new Mismatch(`classic ${x.idx}: unexpected difference`);
      if (x.sub) walk(x.sub, y.sub);
    });
  };
  walk(modern.vmTrace, classic.vmTrace);
  if (JSON.stringify({ ...modern, vmTrace: null }) !== JSON.stringify({ ...classic, vmTrace: null })) {
    throw new Mismatch('classic: trace/output differ');
  }
  return defects;
}

// gasCost of a plain op must be what the EVM's gas counter actually lost (ethereumjs reports the
// counter before each op; the cost is derived separately), so a wrong cost cannot hide.
function checkGasContinuity(logs) {
  const callLike = new Set(['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL', 'CREATE', 'CREATE2']);
  for (let i = 0; i + 1 < logs.length; i++) {
    const a = logs[i];
    const b = logs[i + 1];
    if (a.depth !== b.depth || callLike.has(a.op) || a.error) continue;
    if (a.gas - a.gasCost !== b.gas) fail(`op ${i} (pc ${a.pc} ${a.op})`, 'gas - gasCost vs next gas', b.gas, a.gas - a.gasCost);
  }
}

function checkTx(dir) {
  const logs = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'structlogs.json.gz'))).toString('utf8'));
  checkGasContinuity(logs.structLogs);
  const vm = JSON.parse(fs.readFileSync(path.join(dir, 'vmtrace.json'), 'utf8'));
  const replay = new Replay(vm, logs.structLogs);
  replay.run();
  if (vm.output !== logs.returnValue && !logs.failed) throw new Mismatch('output vs returnValue');
  const classicFile = path.join(dir, 'vmtrace.erigon-classic.json');
  let defects = null;
  if (fs.existsSync(classicFile)) defects = compareClassic(vm, JSON.parse(fs.readFileSync(classicFile, 'utf8')));
  return { ops: logs.structLogs.length, defects, droppedStop: Boolean(replay.droppedStop) };
}

// Replay-only mode for inputs without struct logs (the benchmark): stack, memory and jump
// consistency only.
if (process.argv[2] === '--vmtrace') {
  const file = process.argv[3];
  let text = fs.readFileSync(file);
  if (file.endsWith('.gz')) text = zlib.gunzipSync(text);
  const replay = new Replay(JSON.parse(text.toString('utf8')), null);
  replay.run();
  console.log(`ok   ${file}: ${replay.i} ops replayed, every JUMP/JUMPI destination matches the next pc`);
  process.exit(0);
}

const wanted = process.argv.slice(2);
let failures = 0;
let frames = 0;
for (const project of fs.readdirSync(ROOT).sort()) {
  const manifestFile = path.join(ROOT, project, 'manifest.json');
  if (!fs.existsSync(manifestFile) || (wanted.length && !wanted.includes(project))) continue;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  for (const tx of manifest.transactions.filter((t) => t.name)) {
    try {
      const r = checkTx(path.join(ROOT, project, tx.name));
      frames += r.ops;
      console.log(`ok   ${project}/${tx.name}: ${r.ops} frames${r.defects !== null ? `, classic variant: ${r.defects} defect sites` : ''}${r.droppedStop ? ', Erigon dropped the final top-level STOP' : ''}`);
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      failures++;
      console.log(`FAIL ${project}/${tx.name}: ${e.message}`);
    }
  }
  if (manifest.blockTraces) {
    // block replay = the single replays in block order (reference §1.2)
    const bt = manifest.blockTraces;
    const vm = JSON.parse(fs.readFileSync(path.join(ROOT, project, bt.vmtrace), 'utf8'));
    const logs = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(ROOT, project, bt.structlogs))).toString('utf8'));
    const single = manifest.transactions.map((t) => path.join(ROOT, project, t.name));
    const same = vm.length === single.length && vm.every((r, k) =>
      JSON.stringify(r) === fs.readFileSync(path.join(single[k], 'vmtrace.json'), 'utf8').trim()
      && logs[k].txHash === r.transactionHash
      && JSON.stringify(logs[k].result) === zlib.gunzipSync(fs.readFileSync(path.join(single[k], 'structlogs.json.gz'))).toString('utf8').trim());
    if (!same) { failures++; console.log(`FAIL ${project}/block: differs from the single-transaction files`); }
    else console.log(`ok   ${project}/block: ${vm.length} transactions equal to their single replays`);
  }
}
console.log(`${frames} frames checked, ${failures} failing transaction(s)`);
process.exit(failures ? 1 : 0);
