/* Keccak-f[1600] with rate 1088 bits (136 bytes) and capacity 512, output 256 bits. */
#include "keccak.h"

#include <string.h>

#define RATE 136

static const uint64_t round_consts[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

/* Rotation offsets and the pi permutation, in the order of the usual lane walk. */
static const unsigned rotc[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                  27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned piln[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                  15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static uint64_t rotl(uint64_t x, unsigned n)
{
    return (x << n) | (x >> (64 - n));
}

static void theta_rho_pi(uint64_t st[25])
{
    uint64_t bc[5], t;
    unsigned i, j;
    for (i = 0; i < 5; i++)
        bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
    for (i = 0; i < 5; i++) {
        t = bc[(i + 4) % 5] ^ rotl(bc[(i + 1) % 5], 1);
        for (j = 0; j < 25; j += 5)
            st[j + i] ^= t;
    }
    t = st[1];
    for (i = 0; i < 24; i++) {
        uint64_t tmp = st[piln[i]];
        st[piln[i]] = rotl(t, rotc[i]);
        t = tmp;
    }
}

static void keccakf(uint64_t st[25])
{
    uint64_t bc[5];
    unsigned r, i, j;
    for (r = 0; r < 24; r++) {
        theta_rho_pi(st);
        for (j = 0; j < 25; j += 5) {
            for (i = 0; i < 5; i++)
                bc[i] = st[j + i];
            for (i = 0; i < 5; i++)
                st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
        }
        st[0] ^= round_consts[r];
    }
}

/* Lanes are little-endian whatever the host is. */
static void absorb_block(uint64_t st[25], const uint8_t *block)
{
    unsigned i, b;
    for (i = 0; i < RATE / 8; i++) {
        uint64_t lane = 0;
        for (b = 0; b < 8; b++)
            lane |= (uint64_t)block[i * 8 + b] << (8 * b);
        st[i] ^= lane;
    }
    keccakf(st);
}

void ct__keccak256(const void *data, size_t len, uint8_t out[32])
{
    uint64_t st[25];
    uint8_t last[RATE];
    const uint8_t *p = data;
    unsigned i;
    memset(st, 0, sizeof st);
    while (len >= RATE) {
        absorb_block(st, p);
        p += RATE;
        len -= RATE;
    }
    memset(last, 0, sizeof last);
    if (len)
        memcpy(last, p, len);
    last[len] ^= 0x01;
    last[RATE - 1] ^= 0x80;
    absorb_block(st, last);
    for (i = 0; i < 32; i++)
        out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
}
