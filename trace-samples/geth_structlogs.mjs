// debug_traceTransaction result as Geth's default struct logger writes it with
// {enableMemory: true, enableReturnData: true} (Geth >= v1.17.3 encoding), built from the hook
// sequence of execute.mjs. Conventions: reference vmtrace.md §4.1-§4.2, §4.4.
import { NAMES, OP } from './geth_opcodes.mjs';

export const STRUCTLOG_CONFIG = { enableMemory: true, enableReturnData: true };

const hex = (b) => '0x' + Buffer.from(b).toString('hex');
const quantity = (v) => '0x' + v.toString(16);
const word = (v) => '0x' + v.toString(16).padStart(64, '0');

function memoryWords(mem) {
  const words = [];
  for (let i = 0; i + 32 <= mem.length; i += 32) words.push(hex(mem.subarray(i, i + 32)));
  return words;
}

// Geth keeps one map per storage address for the whole tx and snapshots it on SLOAD/SSTORE
// frames only; the map is a Go map, so json.Marshal sorts its keys.
function storageSnapshot(storage, ev) {
  const key = ev.address.toLowerCase();
  if (!storage.has(key)) storage.set(key, new Map());
  const slots = storage.get(key);
  const s = ev.stack;
  if (ev.op === OP.SLOAD && s.length >= 1) slots.set(word(s.at(-1)), word(ev.sloadValue));
  else if (ev.op === OP.SSTORE && s.length >= 2) slots.set(word(s.at(-1)), word(s.at(-2)));
  else return undefined;
  const out = {};
  for (const k of [...slots.keys()].sort()) out[k] = slots.get(k);
  return out;
}

function structLog(ev, storage) {
  const log = {
    pc: ev.pc, op: NAMES[ev.op], gas: Number(ev.gas), gasCost: Number(ev.cost), depth: ev.depth,
  };
  if (ev.error) log.error = ev.error;
  log.stack = ev.stack.map(quantity);
  if (ev.returnData.length > 0) log.returnData = hex(ev.returnData);
  if (ev.memory.length > 0) log.memory = memoryWords(ev.memory);
  if (ev.op === OP.SLOAD || ev.op === OP.SSTORE) {
    const snap = storageSnapshot(storage, ev);
    if (snap && Object.keys(snap).length) log.storage = snap;
  }
  if (ev.refund > 0n) log.refund = Number(ev.refund);
  return log;
}

/** `receiptGasUsed`: the receipt's gasUsed (intrinsic included, refund applied). */
export function structLogs(events, receiptGasUsed) {
  const storage = new Map();
  const logs = [];
  let root = null;
  for (const ev of events) {
    if (ev.kind === 'op') logs.push(structLog(ev, storage));
    else if (ev.kind === 'exit' && ev.depth === 0) root = ev;
  }
  const failed = root.error !== null;
  const returnValue = !failed || root.reverted ? hex(root.output) : '0x';
  return { gas: Number(receiptGasUsed), failed, returnValue, structLogs: logs };
}
