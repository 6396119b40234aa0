// Runs signed transactions on ethereumjs (Prague) and turns its `beforeMessage` / `step` /
// `afterMessage` events into the call sequence Geth's tracing hooks would see (OnEnter, OnOpcode,
// OnExit, reference vmtrace.md §2.1 and §4). Both emitters (geth_structlogs.mjs,
// erigon_vmtrace.mjs) consume that hook sequence, so each client's quirks live in one place.
import { createVM, runTx } from '@ethereumjs/vm';
import { Common, Mainnet, Hardfork } from '@ethereumjs/common';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { createBlock } from '@ethereumjs/block';
import {
  Account, createAddressFromPrivateKey, hexToBytes, bytesToHex, bytesToBigInt,
  setLengthLeft, bigIntToBytes,
} from '@ethereumjs/util';
import { OP, NAMES, CALL_OPS, CREATE_OPS } from './geth_opcodes.mjs';

export const HARDFORK = Hardfork.Prague;
export const CHAIN_ID = 1n;
const BASE_FEE = 1_000_000_000n;
const HALTING = new Set([OP.STOP, OP.RETURN, OP.REVERT, OP.SELFDESTRUCT, OP.INVALID]);

// ethereumjs EVMError.error text -> Geth error text. Geth's struct logger only shows errors raised
// before the op's OnOpcode hook ran (stack, gas, static checks, undefined op); errors raised while
// executing (bad jump, revert, return-data bounds) go to OnFault, which it does not implement
// (reference §4.2 "Failing ops").
// Undefined opcodes (INVALID included) fail in Geth's opUndefined, i.e. after the hook.
const GETH_ERRORS = {
  'out of gas': { text: 'out of gas', beforeHook: true },
  'invalid JUMP': { text: 'invalid jump destination', beforeHook: false },
  'revert': { text: 'execution reverted', beforeHook: false },
  'attempting to RETURNDATACOPY out of bounds': { text: 'return data out of bounds', beforeHook: false },
};

function gethError(ejsErrorFull, op) {
  const ejsError = ejsErrorFull.replace(/ at 0x.*$/, ''); // "invalid JUMP at <hash>/<address>:<pc>
  if (ejsError === 'invalid opcode') return { text: `invalid opcode: ${NAMES[op]}`, beforeHook: false };
  if (ejsError === 'stack underflow' || ejsError === 'stack overflow') {
    throw new Error(`sample hits ${ejsError}: Geth's text needs stack sizes, not modelled`);
  }
  // ethereumjs traps it while computing gas, Geth after charging the op's full cost
  if (ejsError === 'static state change') throw new Error('write protection: not modelled');
  const e = GETH_ERRORS[ejsError];
  if (!e) throw new Error(`unmapped ethereumjs error "${ejsError}"`);
  return e;
}

/** Gas forwarded to a callee under EIP-150 (Geth callGas): all but 1/64 of what is left after
 *  the op's own cost, capped by the requested amount. */
function forwardedGas(gasLeft, ownCost, requested) {
  const avail = gasLeft - ownCost;
  if (avail < 0n) return 0n;
  const cap = avail - avail / 64n;
  return requested === undefined || requested > cap ? cap : requested;
}

export function privateKey(n) {
  return hexToBytes('0x' + n.toString(16).padStart(64, '0'));
}

/** One ethereumjs VM holding one block (number 1); transactions are its consecutive entries. */
export class Chain {
  static async create(fundedKeys) {
    const common = new Common({ chain: Mainnet, hardfork: HARDFORK });
    const vm = await createVM({ common });
    const chain = new Chain(vm, common);
    for (const key of fundedKeys) {
      const addr = createAddressFromPrivateKey(key);
      await vm.stateManager.putAccount(addr, new Account(0n, 10n ** 24n));
    }
    return chain;
  }

  constructor(vm, common) {
    this.vm = vm;
    this.common = common;
    this.txIndex = 0;
    this.block = createBlock({
      header: {
        number: 1n, timestamp: 1_750_000_000n, gasLimit: 60_000_000n, baseFeePerGas: BASE_FEE,
        coinbase: '0x00000000000000000000000000000000c0ffee00',
        mixHash: '0x' + '5a'.repeat(32), excessBlobGas: 0n, blobGasUsed: 0n,
        parentBeaconBlockRoot: '0x' + '00'.repeat(32),
      },
    }, { common });
  }

  /** Sends a signed EIP-1559 tx; when `trace` is set, returns the Geth hook sequence too. */
  async send({ key, to, data = '0x', value = 0n, gasLimit = 3_000_000n, trace = false, sink = null }) {
    const from = createAddressFromPrivateKey(key);
    const account = await this.vm.stateManager.getAccount(from);
    const tx = createFeeMarket1559Tx({
      chainId: CHAIN_ID, nonce: account.nonce, maxPriorityFeePerGas: 1_000_000_000n,
      maxFeePerGas: 3_000_000_000n, gasLimit, to, value, data,
    }, { common: this.common }).sign(key);
    const recorder = trace || sink ? new HookRecorder(this.vm, sink) : null;
    recorder?.attach();
    let result;
    try {
      result = await runTx(this.vm, { tx, block: this.block, skipBlockGasLimitValidation: true });
    } finally {
      recorder?.detach();
    }
    if (recorder?.failure) throw recorder.failure;
    const index = this.txIndex++;
    return {
      hash: bytesToHex(tx.hash()), index, from: from.toString(), to: to ?? null,
      nonce: account.nonce, gasLimit, value, data,
      createdAddress: result.createdAddress?.toString() ?? null,
      gasUsed: result.totalGasSpent, result,
      logs: result.execResult.logs ?? [],
      events: recorder && !sink ? recorder.events : null,
    };
  }
}

/**
 * Records ethereumjs events as Geth hooks:
 *   {kind:'enter', depth, typ, from, to, input, gas, value, code, precompile}
 *   {kind:'op', pc, op, gas, cost, depth, stack, memory, address, refund, returnData, sloadValue, error}
 *   {kind:'exit', depth, output, gasUsed, error, reverted}
 * depth of enter/exit is Geth's OnEnter depth (0 = the transaction); op depth is 1-based.
 */
class HookRecorder {
  // `sink(event)` receives each hook as it happens (nothing kept); default: kept in this.events.
  // An op's `error` is only known when its frame exits, after the op went to the sink: a
  // streaming sink sees it only if it keeps the op object (the Erigon emitter does not need it).
  constructor(vm, sink) {
    this.vm = vm;
    this.events = [];
    this.emit = sink ?? ((ev) => this.events.push(ev));
    this.frames = [];
    this.failure = null;
    this.listeners = {
      beforeMessage: (m, done) => this.guard(() => this.onEnter(m), done),
      newContract: (c, done) => this.guard(() => this.onNewContract(c), done),
      step: (s, done) => this.guard(() => this.onStep(s), done),
      afterMessage: (r, done) => this.guard(() => this.onExit(r), done),
    };
  }

  attach() {
    for (const [k, f] of Object.entries(this.listeners)) this.vm.evm.events.on(k, f);
  }

  detach() {
    for (const [k, f] of Object.entries(this.listeners)) this.vm.evm.events.off(k, f);
  }

  guard(fn, done) {
    fn().catch((e) => { this.failure ??= e; }).finally(done);
  }

  async onEnter(msg) {
    const parent = this.frames.at(-1);
    const depth = msg.depth;
    let typ = msg.to ? OP.CALL : OP.CREATE;
    let from = msg.caller.toString();
    if (parent) {
      const calling = parent.lastOp;
      if (!calling || !(CALL_OPS.has(calling.op) || CREATE_OPS.has(calling.op))) {
        throw new Error('message without a calling op');
      }
      typ = calling.op;
      from = parent.address;
      calling.entered = true;
    }
    const isCreate = CREATE_OPS.has(typ);
    const codeAddress = isCreate ? null : (msg._codeAddress ?? msg.to);
    const code = isCreate ? msg.data : await this.vm.stateManager.getCode(codeAddress);
    const precompile = !isCreate && this.vm.evm.getPrecompile(codeAddress) !== undefined;
    const enter = {
      kind: 'enter', depth, typ, from, to: codeAddress?.toString() ?? null,
      // ethereumjs hands out views into the caller's memory: copy before it changes
      input: msg.data.slice(), gas: msg.gasLimit, value: msg.value,
      code: precompile ? new Uint8Array() : code.slice(),
      precompile,
    };
    if (parent) this.checkChildGas(parent.lastOp, enter);
    this.emit(enter);
    const storageAddress = typ === OP.DELEGATECALL || typ === OP.CALLCODE ? parent.address
      : msg.to?.toString() ?? null;
    this.frames.push({
      enter, depth, address: storageAddress, returnData: new Uint8Array(), lastOp: null, steps: 0,
    });
  }

  // The forwarded gas is derived, not reported by ethereumjs: prove it against the message.
  checkChildGas(calling, enter) {
    const stipend = (calling.op === OP.CALL || calling.op === OP.CALLCODE) && enter.value > 0n ? 2300n : 0n;
    if (calling.forwarded + stipend !== enter.gas) {
      throw new Error(`pc ${calling.pc} ${NAMES[calling.op]}: derived child gas ${calling.forwarded}+${stipend} != message gas ${enter.gas}`);
    }
  }

  async onNewContract(c) {
    const frame = this.frames.at(-1);
    frame.address = c.address.toString();
    frame.enter.to = frame.address;
  }

  async onStep(s) {
    const frame = this.frames.at(-1);
    if (s.depth !== frame.depth) throw new Error(`step depth ${s.depth} in frame ${frame.depth}`);
    const op = s.opcode.code;
    const prev = frame.lastOp;
    if (prev && (CALL_OPS.has(prev.op) || CREATE_OPS.has(prev.op)) && !prev.entered) {
      throw new Error(`pc ${prev.pc}: call/create failed before entering (depth/balance): not modelled`);
    }
    const stack = s.stack; // ethereumjs hands out fresh copies of stack and memory per step
    const fee = s.opcode.dynamicFee;
    const ev = {
      kind: 'op', pc: s.pc, op, gas: s.gasLeft, cost: fee, depth: s.depth + 1, stack,
      memory: s.memory, address: s.address.toString(), refund: s.gasRefund,
      returnData: frame.returnData, sloadValue: null, error: null,
    };
    if (CALL_OPS.has(op)) {
      ev.forwarded = forwardedGas(s.gasLeft, fee, stack.at(-1));
      ev.cost = fee + ev.forwarded; // Geth gasCost includes the callee's gas (§4.4)
    } else if (CREATE_OPS.has(op)) {
      ev.forwarded = forwardedGas(s.gasLeft, fee); // not part of Geth's gasCost (§4.4)
    }
    if (op === OP.SLOAD && stack.length >= 1) {
      const key = setLengthLeft(bigIntToBytes(stack.at(-1)), 32);
      ev.sloadValue = bytesToBigInt(await s.stateManager.getStorage(s.address, key));
    }
    if (op === OP.SELFDESTRUCT) {
      ev.balance = (await s.stateManager.getAccount(s.address))?.balance ?? 0n;
    }
    frame.lastOp = ev;
    frame.steps++;
    this.emit(ev);
  }

  async onExit(result) {
    const frame = this.frames.pop();
    const exec = result.execResult;
    const last = frame.lastOp;
    let error = null;
    if (exec.exceptionError) {
      const mapped = gethError(exec.exceptionError.error, last?.op);
      error = mapped.text;
      // Geth (and Erigon's "ex": null) see an op run out of gas only when its full cost exceeds
      // the gas left; OOG raised elsewhere (SSTORE sentry, code deposit) has other texts.
      if (error === 'out of gas' && (!last || last.cost <= last.gas)) {
        throw new Error(`out of gas not caused by an op's cost (pc ${last?.pc}): not modelled`);
      }
      if (mapped.beforeHook && last) last.error = error;
    } else if (last && last.op === OP.SELFDESTRUCT) {
      this.emit({
        kind: 'enter', depth: last.depth, typ: OP.SELFDESTRUCT, from: frame.address,
        to: '0x' + last.stack.at(-1).toString(16).padStart(40, '0').slice(-40),
        input: new Uint8Array(), gas: 0n, value: last.balance, code: new Uint8Array(), precompile: false,
      });
      this.emit({ kind: 'exit', depth: last.depth, output: new Uint8Array(), gasUsed: 0n, error: null, reverted: false });
    } else if (frame.enter.code.length > 0 && !frame.enter.precompile && !(last && HALTING.has(last.op))) {
      this.emit(this.implicitStop(frame, exec));
    }
    const reverted = exec.exceptionError?.error === 'revert';
    const output = (exec.returnValue ?? new Uint8Array()).slice();
    this.emit({
      kind: 'exit', depth: frame.depth, output, gasUsed: exec.executionGasUsed, error, reverted,
    });
    const parent = this.frames.at(-1);
    if (parent) {
      const isCreate = CREATE_OPS.has(frame.enter.typ);
      const keep = isCreate ? reverted : (!error || reverted);
      parent.returnData = keep ? output : new Uint8Array();
    }
  }

  // Geth runs STOP when pc walks off the end of the code and traces it (§2.6).
  implicitStop(frame, exec) {
    const rs = exec.runState;
    if (!rs) throw new Error('implicit STOP without runState');
    return {
      kind: 'op', pc: frame.enter.code.length, op: OP.STOP, gas: frame.enter.gas - exec.executionGasUsed,
      cost: 0n, depth: frame.depth + 1, stack: rs.stack.getStack().slice(),
      memory: rs.memory._store.slice(0, Number(rs.memoryWordCount) * 32), address: frame.address,
      refund: rs.gasRefund, returnData: frame.returnData, sloadValue: null, error: null, synthetic: true,
    };
  }
}
