/* The disassembly listing; see disasm.h. */
#include "disasm.h"

#include <stdio.h>
#include <string.h>

#include "opcodes.h"
#include "util/error.h"

/* Longest line: "0x" + 8 digits + 2 spaces + "PUSH32 0x" + 64 hex + "\n". */
#define MAX_LINE 100

static size_t format_insn(char *out, const uint8_t *code, size_t len, size_t pc, size_t *next)
{
    const ct__opcode_info *info = ct__opcode(code[pc]);
    size_t n = (size_t)sprintf(out, "0x%04zx  ", pc), imm = info->immediate, k;
    if (info->name)
        n += (size_t)sprintf(out + n, "%s", info->name);
    else
        n += (size_t)sprintf(out + n, "INVALID 0x%02x", code[pc]);
    if (imm) {
        n += (size_t)sprintf(out + n, " 0x");
        for (k = 1; k <= imm && pc + k < len; k++)
            n += (size_t)sprintf(out + n, "%02x", code[pc + k]);
    }
    out[n++] = '\n';
    *next = pc + 1 + imm;
    return n;
}

ct_status ct__disasm(char **text, size_t *len, ct__locmap **locs, ct__arena *arena,
                     const uint8_t *code, size_t code_len, const char *title, ct_error *err)
{
    size_t tl = strlen(title), cap = tl + 2 + code_len * MAX_LINE + 1, n, pc = 0, next, k;
    uint32_t line = 2;
    char *buf = ct__arena_alloc(arena, cap);
    ct__locmap *m = ct__arena_alloc(arena, sizeof *m);
    ct__loc *by_pc = ct__arena_alloc(arena, (code_len ? code_len : 1) * sizeof *by_pc);
    if (!buf || !m || !by_pc)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    n = (size_t)sprintf(buf, "; %s\n", title);
    while (pc < code_len) {
        n += format_insn(buf + n, code, code_len, pc, &next);
        for (k = pc; k < next && k < code_len; k++) {
            by_pc[k].file = 0;
            by_pc[k].line = line;
            by_pc[k].offset = 0;
            by_pc[k].jump = '-';
        }
        line++;
        pc = next;
    }
    buf[n] = '\0';
    m->by_pc = by_pc;
    m->len = code_len;
    m->mapped = line - 2;
    *text = buf;
    *len = n;
    *locs = m;
    return CT_OK;
}
