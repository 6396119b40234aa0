/*
 * Shortest round-trip decimal digits of a double, laid out the way serde_json (ryu) and Rust's
 * f64 Display lay them out. The digits come from the C library: for p = 1..17 the correctly
 * rounded p-digit decimal ("%.*e") is tried, and the first that reads back (strtod) as the same
 * double wins. At a power of two the interval of decimals that read back is lopsided, so when
 * the nearest p-digit decimal fails its neighbour on the other side of x is tried too; that is
 * the case where "nearest" and "shortest" differ. Candidates are read back in the form
 * "<digits>e<exp>", which has no decimal point and so does not depend on the C locale.
 * Slower than ryu (a few snprintf/strtod per value) but needs no tables; Float is rare in
 * traces and refused by the portable profile anyway.
 */
#include "float_format.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* |x| = digits (n decimal digits, first and last non-zero) x 10^k */
typedef struct decimal {
    char digits[24];
    int n;
    int k;
} decimal;

static bool reads_back(const decimal *d, double ax)
{
    char buf[48];
    memcpy(buf, d->digits, (size_t)d->n);
    snprintf(buf + d->n, sizeof buf - (size_t)d->n, "e%d", d->k);
    return strtod(buf, NULL) == ax;
}

static double read_value(const decimal *d)
{
    char buf[48];
    memcpy(buf, d->digits, (size_t)d->n);
    snprintf(buf + d->n, sizeof buf - (size_t)d->n, "e%d", d->k);
    return strtod(buf, NULL);
}

/* The p significant digits of "%.*e": digits are whatever decimal point the locale uses apart. */
static void nearest(double ax, int p, decimal *d)
{
    char buf[64];
    const char *s;
    int e10;
    snprintf(buf, sizeof buf, "%.*e", p - 1, ax);
    d->n = 0;
    for (s = buf; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            d->digits[d->n++] = *s;
    e10 = *s == 'e' ? atoi(s + 1) : 0;
    d->k = e10 - (d->n - 1);
}

/* Drop leading and trailing zeros, keeping the value. */
static void normalize(decimal *d)
{
    int lead = 0;
    while (lead < d->n - 1 && d->digits[lead] == '0')
        lead++;
    if (lead) {
        memmove(d->digits, d->digits + lead, (size_t)(d->n - lead));
        d->n -= lead;
    }
    while (d->n > 1 && d->digits[d->n - 1] == '0') {
        d->n--;
        d->k++;
    }
}

/* The adjacent p-digit decimal one unit in the last place up (+1) or down (-1). */
static void step_last_digit(decimal *d, int dir)
{
    int i = d->n - 1;
    if (dir > 0) {
        while (i >= 0 && d->digits[i] == '9')
            d->digits[i--] = '0';
        if (i < 0) {
            memmove(d->digits + 1, d->digits, (size_t)d->n);
            d->digits[0] = '1';
            d->n++;
        } else {
            d->digits[i]++;
        }
    } else {
        while (i >= 0 && d->digits[i] == '0')
            d->digits[i--] = '9';
        if (i >= 0)
            d->digits[i]--;
    }
    normalize(d);
}

/* ax finite and > 0 */
static void shortest(double ax, decimal *out)
{
    int p;
    for (p = 1; p <= 17; p++) {
        decimal d, other;
        nearest(ax, p, &d);
        if (reads_back(&d, ax)) {
            normalize(&d);
            *out = d;
            return;
        }
        other = d;
        step_last_digit(&other, read_value(&d) > ax ? -1 : 1);
        if (other.n <= p && other.digits[0] != '0' && reads_back(&other, ax)) {
            *out = other;
            return;
        }
    }
    nearest(ax, 17, out);   /* 17 digits always read back; kept for safety */
    normalize(out);
}

static size_t put_zeros(char *o, int count)
{
    if (count <= 0)
        return 0;
    memset(o, '0', (size_t)count);
    return (size_t)count;
}

static size_t put_digits(char *o, const char *digits, int count)
{
    if (count <= 0)
        return 0;
    memcpy(o, digits, (size_t)count);
    return (size_t)count;
}

/* ryu::pretty::format64 layout, which serde_json uses for finite f64. */
size_t ct__float_json(double x, char out[CT__FLOAT_BUF])
{
    size_t o = 0;
    decimal d;
    int kk;
    if (signbit(x))
        out[o++] = '-';
    if (x == 0) {
        memcpy(out + o, "0.0", 3);
        return o + 3;
    }
    shortest(fabs(x), &d);
    kk = d.n + d.k;   /* 10^(kk-1) <= |x| < 10^kk */
    if (d.k >= 0 && kk <= 16) {
        o += put_digits(out + o, d.digits, d.n);
        o += put_zeros(out + o, d.k);
        memcpy(out + o, ".0", 2);
        return o + 2;
    }
    if (kk > 0 && kk <= 16) {
        o += put_digits(out + o, d.digits, kk);
        out[o++] = '.';
        return o + put_digits(out + o, d.digits + kk, d.n - kk);
    }
    if (kk > -5 && kk <= 0) {
        memcpy(out + o, "0.", 2);
        o += 2;
        o += put_zeros(out + o, -kk);
        return o + put_digits(out + o, d.digits, d.n);
    }
    out[o++] = d.digits[0];
    if (d.n > 1) {
        out[o++] = '.';
        o += put_digits(out + o, d.digits + 1, d.n - 1);
    }
    return o + (size_t)snprintf(out + o, CT__FLOAT_BUF - o, "e%d", kk - 1);
}

/* Rust's f64 Display: shortest digits, plain positional notation, no ".0" for integers. */
size_t ct__float_display(double x, char out[CT__FLOAT_BUF])
{
    size_t o = 0;
    decimal d;
    int kk;
    if (isnan(x)) {
        memcpy(out, "NaN", 3);
        return 3;
    }
    if (signbit(x))
        out[o++] = '-';
    if (isinf(x)) {
        memcpy(out + o, "inf", 3);
        return o + 3;
    }
    if (x == 0) {
        out[o++] = '0';
        return o;
    }
    shortest(fabs(x), &d);
    kk = d.n + d.k;
    if (kk <= 0) {
        memcpy(out + o, "0.", 2);
        o += 2;
        o += put_zeros(out + o, -kk);
        return o + put_digits(out + o, d.digits, d.n);
    }
    if (kk < d.n) {
        o += put_digits(out + o, d.digits, kk);
        out[o++] = '.';
        return o + put_digits(out + o, d.digits + kk, d.n - kk);
    }
    o += put_digits(out + o, d.digits, d.n);
    return o + put_zeros(out + o, kk - d.n);
}
