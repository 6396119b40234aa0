// Source-level facts of a traced transaction, for tests of the Solidity recorder: which Solidity
// functions ran (in order of first execution) and where each failing frame last was in user
// source. Derived from solc's source maps and AST only (no trace format involved): every
// executed pc -> instruction index -> source map entry -> innermost function/modifier.
import { OP } from './geth_opcodes.mjs';

/** Source map entries "s:l:f:j:m" with empty fields inherited from the previous entry. */
function decodeSourceMap(map) {
  const out = [];
  let prev = [0, 0, -1, '-', 0];
  for (const item of map.split(';')) {
    const f = item.split(':');
    const cur = prev.slice();
    for (let i = 0; i < 5; i++) if (f[i] !== undefined && f[i] !== '') cur[i] = i < 3 ? Number(f[i]) : f[i];
    out.push(cur);
    prev = cur;
  }
  return out;
}

function pcToInstruction(code) {
  const map = new Map();
  for (let pc = 0, i = 0; pc < code.length; i++) {
    map.set(pc, i);
    const op = code[pc];
    pc += op >= OP.PUSH1 && op <= OP.PUSH32 ? op - OP.PUSH1 + 2 : 1;
  }
  return map;
}

function collectFunctions(output) {
  const fns = [];
  for (const src of Object.values(output.sources)) {
    for (const c of src.ast.nodes.filter((n) => n.nodeType === 'ContractDefinition')) {
      for (const n of c.nodes) {
        if (n.nodeType !== 'FunctionDefinition' && n.nodeType !== 'ModifierDefinition') continue;
        const [start, len, file] = n.src.split(':').map(Number);
        fns.push({ name: `${c.name}.${n.name || n.kind}`, start, end: start + len, file });
      }
    }
  }
  return fns;
}

/** Byte ranges of a bytecode object that differ per deployment: immutables (filled in by the
 *  constructor), library addresses (filled in by linking) and a library's own address. */
function variableRanges(bytecode) {
  const ranges = [];
  // A library's runtime code starts with PUSH20 of its own address, written at deployment
  // (call protection); solc leaves zeros there and lists it nowhere.
  if (bytecode.object.startsWith('73' + '00'.repeat(20))) ranges.push({ start: 1, length: 20 });
  for (const refs of Object.values(bytecode.immutableReferences ?? {})) ranges.push(...refs);
  for (const libs of Object.values(bytecode.linkReferences ?? {})) {
    for (const refs of Object.values(libs)) ranges.push(...refs);
  }
  return ranges;
}

function matches(codeHex, objectHex, ranges, allowSuffix) {
  if (!objectHex || (allowSuffix ? codeHex.length < objectHex.length : codeHex.length !== objectHex.length)) return false;
  let masked = codeHex.slice(0, objectHex.length);
  let object = objectHex;
  for (const { start, length } of ranges) {
    const blank = '0'.repeat(length * 2);
    masked = masked.slice(0, start * 2) + blank + masked.slice((start + length) * 2);
    object = object.slice(0, start * 2) + blank + object.slice((start + length) * 2);
  }
  return masked === object;
}

/** Which artifact's code a frame runs: runtime code, or init code followed by constructor
 *  arguments, equal outside the immutable and library-address ranges. */
function indexArtifacts(output) {
  const list = [];
  for (const [unit, contracts] of Object.entries(output.contracts)) {
    for (const [name, a] of Object.entries(contracts)) list.push({ unit, name, evm: a.evm });
  }
  return (codeHex) => {
    for (const { unit, name, evm } of list) {
      const rt = evm.deployedBytecode;
      if (matches(codeHex, rt.object, variableRanges(rt), false)) return { unit, name, map: rt.sourceMap };
      const init = evm.bytecode;
      if (matches(codeHex, init.object, variableRanges(init), true)) return { unit, name, map: init.sourceMap };
    }
    return null;
  };
}

export class SourceFacts {
  constructor(output) {
    this.output = output;
    this.fns = collectFunctions(output);
    this.find = indexArtifacts(output);
    this.files = Object.entries(output.sources).map(([unit, s]) => ({ unit, id: s.id }));
  }

  location(content, fileUnit, start, len) {
    const line = content.slice(0, start).split('\n').length;
    const snippet = content.slice(start, start + len).split('\n')[0].trim().slice(0, 80);
    return { file: fileUnit, line, snippet };
  }

  /** `sources`: unit -> content. Returns {functions, unverifiedFrames, failures}. */
  analyse(events, sources) {
    const stack = [];
    const functions = [];
    const failures = [];
    let unverified = 0;
    for (const ev of events) {
      if (ev.kind === 'enter') {
        const code = Buffer.from(ev.code).toString('hex');
        const art = code.length && !ev.precompile ? this.find(code) : null;
        if (code.length && !ev.precompile && !art) unverified++;
        stack.push({ art, entries: art && decodeSourceMap(art.map), pcs: art && pcToInstruction(ev.code), last: null });
      } else if (ev.kind === 'exit') {
        const f = stack.pop();
        if (ev.error && f.last) failures.push({ depth: stack.length + 1, contract: f.art.name, error: ev.error, ...f.last });
      } else {
        this.step(stack.at(-1), ev, sources, functions);
      }
    }
    return { functions, unverifiedFrames: unverified, failures };
  }

  step(frame, ev, sources, functions) {
    if (!frame?.art) return;
    const idx = frame.pcs.get(ev.pc);
    const entry = idx === undefined ? null : frame.entries[idx];
    if (!entry) return;
    const [s, l, file] = entry;
    const unit = this.files.find((x) => x.id === file)?.unit;
    if (!unit) return; // compiler-generated code (Yul utilities) has no user source
    frame.last = this.location(sources[unit], unit, s, l);
    let best = null;
    for (const fn of this.fns) {
      if (fn.file === file && fn.start <= s && s + l <= fn.end && (!best || fn.end - fn.start < best.end - best.start)) best = fn;
    }
    if (best && !functions.includes(best.name)) functions.push(best.name);
  }
}
