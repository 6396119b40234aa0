// trace_replayTransaction(tx, ["trace", "vmTrace"]) result as Erigon's OpenEthereum-style tracer
// (OeTracer, with "op" and "idx", i.e. without --trace.compat) builds it from Geth-style hooks.
// Behaviour follows reference vmtrace.md §2.1 "Erigon classic" and §2.2-§2.7; the tracer is
// re-implemented here from that description, hook for hook, so that its deferred bookkeeping
// (push/mem of an op filled at the next OnOpcode, call results at the caller's next op, CREATE
// cost plus child gas, the dropped second top-level STOP, SELFDESTRUCT subs) comes out the same.
//
// variant 'modern': the classic tracer with the fixes Erigon later made: PUSH0 pushes its 0
//   (erigon#7970), TLOAD/BLOBHASH/BLOBBASEFEE push their result (erigon#19570), MCOPY reports
//   its destination window (erigon#23952), EXTCODECOPY reports (s1,s3) (erigon#8108).
// variant 'classic': the same tracer with the old defects switched back on, all at once:
//   PUSH0 has "push": [], TLOAD/BLOBHASH/BLOBBASEFEE have "push": [], MCOPY has "mem": null.
import { NAMES, OP, CREATE_OPS } from './geth_opcodes.mjs';

const hex = (b) => '0x' + Buffer.from(b).toString('hex');
const quantity = (v) => '0x' + BigInt(v).toString(16);

// 1-output ops Erigon lists for "push" (reference §3.2, last column).
const LISTED_ONE_OUTPUT = [
  'CALLDATALOAD', 'SLOAD', 'MLOAD', 'CALLDATASIZE', 'LT', 'GT', 'DIV', 'SDIV', 'SAR', 'AND', 'EQ',
  'CALLVALUE', 'ISZERO', 'ADD', 'EXP', 'CALLER', 'KECCAK256', 'SUB', 'ADDRESS', 'GAS', 'MUL',
  'RETURNDATASIZE', 'NOT', 'SHR', 'SHL', 'EXTCODESIZE', 'SLT', 'OR', 'NUMBER', 'PC', 'TIMESTAMP',
  'BALANCE', 'SELFBALANCE', 'MULMOD', 'ADDMOD', 'BASEFEE', 'BLOCKHASH', 'BYTE', 'XOR', 'ORIGIN',
  'CODESIZE', 'MOD', 'SIGNEXTEND', 'GASLIMIT', 'DIFFICULTY', 'SGT', 'GASPRICE', 'MSIZE',
  'EXTCODEHASH', 'SMOD', 'CHAINID', 'COINBASE',
].map((n) => OP[n]);
const FIXED_ONE_OUTPUT = ['TLOAD', 'BLOBHASH', 'BLOBBASEFEE'].map((n) => OP[n]);
const MEM_OPS = ['MSTORE', 'MSTORE8', 'MLOAD', 'RETURNDATACOPY', 'CALLDATACOPY', 'CODECOPY', 'EXTCODECOPY']
  .map((n) => OP[n]);

function variantRules(variant) {
  if (variant !== 'modern' && variant !== 'classic') throw new Error(`unknown variant ${variant}`);
  const modern = variant === 'modern';
  return {
    oneOutput: new Set(modern ? [...LISTED_ONE_OUTPUT, ...FIXED_ONE_OUTPUT] : LISTED_ONE_OUTPUT),
    memOps: new Set(modern ? [...MEM_OPS, OP.MCOPY] : MEM_OPS),
    firstPush: modern ? OP.PUSH0 : OP.PUSH1,
  };
}

/** How many top stack items Erigon copies into "push" for `op`. */
function pushCount(rules, op) {
  if (op >= rules.firstPush && op <= OP.PUSH32) return 1;
  if (op >= OP.DUP1 && op <= OP.DUP16) return op - OP.DUP1 + 2;
  if (op >= OP.SWAP1 && op <= OP.SWAP16) return op - OP.SWAP1 + 2;
  return rules.oneOutput.has(op) ? 1 : 0;
}

/** The written window (offset, length) Erigon reports for `op`, from its pre-op stack. */
function memWindow(rules, op, st) {
  const back = (i) => st[st.length - 1 - i];
  if (!rules.memOps.has(op)) return null;
  if ((op === OP.MSTORE || op === OP.MLOAD) && st.length > 0) return [back(0), 32n];
  if (op === OP.MSTORE8 && st.length > 0) return [back(0), 1n];
  if (op === OP.EXTCODECOPY) return st.length > 3 ? [back(1), back(3)] : null;
  if (st.length > 2) return [back(0), back(2)]; // *COPY and MCOPY: (dest, len)
  return null;
}

/** The caller's return-data window a call-family op reports once the callee is done. */
function returnWindow(op, st) {
  const back = (i) => st[st.length - 1 - i];
  if ((op === OP.CALL || op === OP.CALLCODE) && st.length > 6) return [back(5), back(6)];
  if ((op === OP.DELEGATECALL || op === OP.STATICCALL) && st.length > 5) return [back(4), back(5)];
  if (CREATE_OPS.has(op) || op === OP.SELFDESTRUCT) return [0n, 0n];
  return null;
}

// Geth's GetMemoryCopyPadded: bytes past the end of memory read as zero.
function memSlice(memory, off, len) {
  const out = new Uint8Array(Number(len));
  const o = Number(off);
  if (o < memory.length) out.set(memory.subarray(o, Math.min(memory.length, o + out.length)));
  return hex(out);
}

export class OeTracer {
  constructor(txIndex, variant) {
    this.rules = variantRules(variant);
    this.root = { code: '0x', ops: [] };
    this.output = '0x';
    this.trace = [];
    this.traceAddr = [];
    this.traceStack = [];
    this.precompile = false;
    this.lastVmOp = null;
    this.lastOp = null;
    this.lastMem = [0n, 0n];
    this.memStack = [];
    this.lastOffStack = null;
    this.vmOpStack = [];
    this.idx = [`${txIndex}-`];
  }

  currentTrace() {
    return this.vmOpStack.length ? this.vmOpStack.at(-1).sub : this.root;
  }

  onEnter(e) {
    const deep = e.depth !== 0;
    const isCreate = CREATE_OPS.has(e.typ);
    if (deep) this.idx.push(`${this.currentTrace().ops.length - 1}-`);
    let frame = this.root;
    if (this.lastVmOp) {
      frame = { code: '0x', ops: [] };
      this.lastVmOp.sub = frame;
      this.vmOpStack.push(this.lastVmOp);
    }
    frame.code = hex(isCreate ? e.input : e.code);
    if (isCreate && this.lastVmOp) this.lastVmOp.cost += Number(e.gas);
    if (e.precompile && deep && e.value === 0n) {
      this.precompile = true; // zero-value precompile calls stay out of "trace"
      return;
    }
    this.traceEnter(e, deep, isCreate);
  }

  traceEnter(e, deep, isCreate) {
    let value = e.value;
    const t = { action: null, error: null, result: null, subtraces: 0, traceAddress: null, type: 'call' };
    if (deep) {
      const top = this.traceStack.at(-1);
      this.traceAddr.push(top.subtraces);
      top.subtraces++;
      if (e.typ === OP.DELEGATECALL) value = top.valueForDelegate;
      if (e.typ === OP.STATICCALL) value = 0n;
    }
    t.traceAddress = [...this.traceAddr];
    t.valueForDelegate = value;
    if (isCreate) {
      t.type = 'create';
      t.result = { address: e.to, code: '0x', gasUsed: null };
      t.action = {
        from: e.from, creationMethod: e.typ === OP.CREATE2 ? 'create2' : 'create',
        gas: quantity(e.gas), init: hex(e.input), value: quantity(value),
      };
    } else if (e.typ === OP.SELFDESTRUCT) {
      t.type = 'suicide';
      t.action = { address: e.from, refundAddress: e.to, balance: quantity(value) };
    } else {
      t.result = { gasUsed: null, output: '0x' };
      t.action = {
        from: e.from, callType: NAMES[e.typ].toLowerCase(), gas: quantity(e.gas),
        input: hex(e.input), to: e.to, value: quantity(value),
      };
    }
    this.trace.push(t);
    this.traceStack.push(t);
  }

  onExit(x) {
    const deep = x.depth !== 0;
    if (this.vmOpStack.length) this.lastOffStack = this.vmOpStack.pop();
    if (deep) {
      this.idx.pop();
      this.lastMem = this.memStack.pop();
    }
    if (this.precompile) {
      this.precompile = false;
      return;
    }
    if (!deep) this.output = hex(x.output);
    const t = this.traceStack.pop();
    if (deep) this.traceAddr.pop();
    this.traceExit(t, x);
  }

  traceExit(t, x) {
    const out = hex(x.output);
    if (x.error && !x.reverted) {
      t.result = null;
      t.error = x.error;
      return;
    }
    if (x.error) t.error = 'Reverted';
    if (t.type === 'call') {
      t.result.output = out;
      t.result.gasUsed = quantity(x.gasUsed);
    } else if (t.type === 'create') {
      t.result.code = out;
      t.result.gasUsed = quantity(x.gasUsed);
    }
  }

  onOpcode(ev) {
    const st = ev.stack;
    const memory = ev.memory;
    const frame = this.currentTrace();
    if (this.lastVmOp && this.lastVmOp.ex) this.finishLastOp(st, memory);
    if (this.lastOffStack) this.finishCall(ev.gas, st, memory);
    if (this.lastOp === OP.STOP && ev.op === OP.STOP && this.vmOpStack.length === 0) {
      return; // Erigon drops a top-level STOP that follows a STOP (§2.1)
    }
    const vmOp = {
      cost: Number(ev.cost), ex: { mem: null, push: [], store: null, used: Number(ev.gas - ev.cost) },
      pc: ev.pc, sub: null, op: NAMES[ev.op], idx: null,
    };
    frame.ops.push(vmOp);
    vmOp.idx = this.idx.join('') + (frame.ops.length - 1);
    this.lastVmOp = vmOp;
    this.lastOp = ev.op;
    const win = memWindow(this.rules, ev.op, st);
    if (win) this.lastMem = win;
    const ret = returnWindow(ev.op, st);
    if (ret) this.memStack.push(ret);
    if (ev.op === OP.SSTORE && st.length > 1) {
      vmOp.ex.store = { key: quantity(st.at(-1)), val: quantity(st.at(-2)) };
    }
    if (vmOp.ex.used < 0) vmOp.ex = null;
  }

  // push/mem of the previous op, read from the state the next hook sees
  finishLastOp(st, memory) {
    const n = pushCount(this.rules, this.lastOp);
    for (let i = n - 1; i >= 0; i--) {
      if (st.length > i) this.lastVmOp.ex.push.push(quantity(st[st.length - 1 - i]));
    }
    const [off, len] = this.lastMem;
    if (this.rules.memOps.has(this.lastOp) && len > 0n) {
      this.lastVmOp.ex.mem = { data: memSlice(memory, off, len), off: Number(off) };
    }
  }

  // a call-family/CREATE op whose callee returned: caller's gas, result flag/address, ret window
  finishCall(gas, st, memory) {
    const op = this.lastOffStack;
    op.ex.used = Number(gas);
    op.ex.push = st.length > 0 ? [quantity(st.at(-1))] : [];
    const [off, len] = this.lastMem;
    if (len > 0n && memory.length > 0) op.ex.mem = { data: memSlice(memory, off, len), off: Number(off) };
    this.lastOffStack = null;
  }

  result(txHash) {
    const trace = this.trace.map((t) => {
      const o = { action: t.action };
      if (t.error) o.error = t.error;
      o.result = t.result;
      o.subtraces = t.subtraces;
      o.traceAddress = t.traceAddress;
      o.type = t.type;
      return o;
    });
    return { output: this.output, stateDiff: null, trace, vmTrace: this.root, transactionHash: txHash };
  }

  /** One hook of execute.mjs (usable as its streaming sink). */
  onEvent(ev) {
    if (ev.kind === 'enter') this.onEnter(ev);
    else if (ev.kind === 'exit') this.onExit(ev);
    else this.onOpcode(ev);
  }
}

/** Runs the hook sequence of execute.mjs through the tracer. */
export function vmTraceResult(events, txIndex, txHash, variant = 'modern') {
  const t = new OeTracer(txIndex, variant);
  for (const ev of events) t.onEvent(ev);
  return t.result(txHash);
}
