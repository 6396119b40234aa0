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

/** Which artifact's code a frame runs: runtime code exactly, or init code plus arguments. */
function indexArtifacts(output) {
  const list = [];
  for (const [unit, contracts] of Object.entries(output.contracts)) {
    for (const [name, a] of Object.entries(contracts)) {
      list.push({ unit, name, runtime: a.evm.deployedBytecode.object, init: a.evm.bytecode.object,
        runtimeMap: a.evm.deployedBytecode.sourceMap, initMap: a.evm.bytecode.sourceMap });
    }
  }
  return (codeHex) => {
    for (const a of list) {
      if (a.runtime && codeHex === a.runtime) return { ...a, map: a.runtimeMap };
      if (a.init && codeHex.startsWith(a.init)) return { ...a, map: a.initMap };
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
