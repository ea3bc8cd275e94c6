/*
 * _mih.c: the hot loops of Accord's exact PDQ radius index (accord/index/pdq.py).
 *
 * Multi-index hashing (Norouzi et al.) over 256-bit codes cut into 11 chunks
 * of 23 or 24 bits. For every chunk c the index keeps a CSR table bucketed by
 * the chunk's top 16 bits: offsets[c][v] .. offsets[c][v+1] delimit the bucket's
 * entries, listed in perms[c] as little-endian row numbers of `width` bytes (3 up
 * to 2^24 rows, else 4), with the chunk's remaining low bits beside each in lows[c].
 *
 * Exactness (generalised pigeonhole): a query at radius T gives chunk c the
 * radius t_c, chosen so that sum(t_c + 1) = T + 1. If every chunk of a row
 * differed from the query's by more than t_c, the whole distance would be at
 * least sum(t_c + 1) = T + 1 > T. So every row within T has at least one chunk
 * within t_c, and probing every bucket within t_c of each query chunk finds it.
 * Each candidate is verified on all 256 bits. A row found through several
 * chunks is reported only from the first chunk that reaches it, so no visited
 * array is needed. When the probed buckets hold more rows than a linear scan
 * would read (large T), the query scans all rows instead; both are exact.
 *
 * No numpy C API: arrays come in through the buffer protocol and results go out
 * as bytes, so the extension builds with nothing but a C compiler and Python
 * headers. The GIL is released while searching; `threads` > 1 splits a batch
 * of queries over POSIX threads (the retro-scan and the batch API). Batches of
 * 256 queries or more are searched chunk by chunk in table order (swept or
 * bucket order, see "batch searches" below) instead of query by query.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <pthread.h>
#endif

#define NCHUNKS 11
#define DIR_BITS 16
#define NBUCKETS (1 << DIR_BITS)
#define CODE_BYTES 32
#define PAD_BYTES 36
#define PREFETCH_AHEAD 12
/* Scanning every code costs about as much as this many bucket entries each. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <emmintrin.h>
#define NEAR_SIMD 1
/* Bit i set when entry i of the 16 at p is within r bits of the query's low bits
 * (SSE2, part of every x86-64: a per-byte popcount of the xor, then a compare). */
static inline uint32_t near_mask16(const uint8_t *p, __m128i qvec, __m128i rvec) {
    const __m128i m1 = _mm_set1_epi8(0x55), m2 = _mm_set1_epi8(0x33), m4 = _mm_set1_epi8(0x0f);
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), qvec);
    x = _mm_sub_epi8(x, _mm_and_si128(_mm_srli_epi16(x, 1), m1));
    x = _mm_add_epi8(_mm_and_si128(x, m2), _mm_and_si128(_mm_srli_epi16(x, 2), m2));
    x = _mm_and_si128(_mm_add_epi8(x, _mm_srli_epi16(x, 4)), m4);
    return ~(uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(x, rvec)) & 0xFFFFu;
}
/* The same test specialised on r: equality for r = 0 (most probes: the buckets
 * two bits away), one bit at most for r = 1, the byte popcount otherwise. */
static inline uint32_t near16(const uint8_t *p, __m128i qvec, __m128i rvec, int r) {
    if (r == 0)
        return (uint32_t)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), qvec));
    if (r == 1) {
        __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), qvec);
        x = _mm_and_si128(x, _mm_sub_epi8(x, _mm_set1_epi8(1)));
        return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_setzero_si128()));
    }
    return near_mask16(p, qvec, rvec);
}
#endif
#define SCAN_COST 2

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
/* Use the POPCNT instruction where the CPU has it, portable code elsewhere. */
#define HOT __attribute__((target_clones("popcnt", "default")))
#else
#define HOT
#endif

/* Chunk c covers bits chunk_start[c] .. + chunk_bits[c] of the big-endian code;
 * its top DIR_BITS bits pick the bucket, the low (bits - DIR_BITS) bits are
 * kept beside the row number. 8 x 23 + 3 x 24 = 256. */
static const int chunk_bits[NCHUNKS] = {23, 23, 23, 23, 23, 23, 23, 23, 24, 24, 24};
static int chunk_start[NCHUNKS];
static uint16_t ball_masks[NBUCKETS];   /* every 16-bit mask, by popcount */
static uint32_t ball_end[17];           /* ball_end[t]: masks with popcount <= t */

typedef struct {
    const uint8_t *codes;
    size_t n;
    const uint32_t *offsets;  /* NCHUNKS * (NBUCKETS + 1), or NULL: scan only */
    const uint8_t *perms;     /* NCHUNKS * perm_stride: row numbers, `width` bytes */
    const uint8_t *lows;      /* NCHUNKS * n: low bits of each entry's chunk */
    size_t perm_stride;
    int width;
    const uint8_t *tomb;      /* bitmap of removed rows, or NULL */
} Tables;

typedef struct {
    uint64_t *keys;  /* distance << 32 | row */
    size_t len, cap;
} Hits;

static int hits_push(Hits *h, uint32_t row, uint32_t dist) {
    if (h->len == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        uint64_t *keys = realloc(h->keys, cap * sizeof(uint64_t));
        if (keys == NULL) return -1;
        h->keys = keys;
        h->cap = cap;
    }
    h->keys[h->len++] = ((uint64_t)dist << 32) | row;
    return 0;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t load_row(const uint8_t *p, int width) {
    uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
    return width == 4 ? v | ((uint32_t)p[3] << 24) : v;
}

static inline void store_row(uint8_t *p, int width, uint32_t row) {
    p[0] = (uint8_t)row;
    p[1] = (uint8_t)(row >> 8);
    p[2] = (uint8_t)(row >> 16);
    if (width == 4) p[3] = (uint8_t)(row >> 24);
}

static inline int is_dead(const uint8_t *tomb, uint32_t row) {
    return tomb != NULL && ((tomb[row >> 3] >> (row & 7)) & 1);
}

/* Chunk c of a code copied into a PAD_BYTES buffer (zero-padded). */
static inline uint32_t chunk_of(const uint8_t *padded, int c) {
    int s = chunk_start[c];
    const uint8_t *p = padded + (s >> 3);
    uint32_t w = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    return (w << (s & 7)) >> (32 - chunk_bits[c]);
}

static void init_tables(void) {
    uint32_t count[18] = {0};
    for (uint32_t m = 0; m < NBUCKETS; m++) count[__builtin_popcount(m) + 1]++;
    for (int k = 1; k < 18; k++) count[k] += count[k - 1];
    for (int k = 0; k < 17; k++) ball_end[k] = count[k + 1];
    for (uint32_t m = 0; m < NBUCKETS; m++) ball_masks[count[__builtin_popcount(m)]++] = (uint16_t)m;
    for (int c = 1; c < NCHUNKS; c++) chunk_start[c] = chunk_start[c - 1] + chunk_bits[c - 1];
}

/* Per-chunk radii t_c with sum(t_c + 1) = T + 1; t_c = -1 means "not probed". */
static void chunk_radii(int radius, int t[NCHUNKS]) {
    int s = radius + 1, q = s / NCHUNKS, rem = s % NCHUNKS;
    for (int c = 0; c < NCHUNKS; c++) t[c] = c < rem ? q : q - 1;
}

/* ---------------------------------------------------------------- queries */

HOT static int scan(const Tables *tb, const uint8_t *q, int radius, Hits *out) {
    uint64_t q0 = load64(q), q1 = load64(q + 8), q2 = load64(q + 16), q3 = load64(q + 24);
    size_t first = out->len;
    for (size_t r = 0; r < tb->n; r++) {
        const uint8_t *p = tb->codes + r * CODE_BYTES;
        int d = __builtin_popcountll(load64(p) ^ q0) + __builtin_popcountll(load64(p + 8) ^ q1)
              + __builtin_popcountll(load64(p + 16) ^ q2) + __builtin_popcountll(load64(p + 24) ^ q3);
        if (d <= radius && !is_dead(tb->tomb, (uint32_t)r)) {
            if (hits_push(out, (uint32_t)r, (uint32_t)d)) return -1;
        }
    }
    qsort(out->keys + first, out->len - first, sizeof(uint64_t), cmp_u64);
    return 0;
}

static inline int high_radius(int t) { return t < DIR_BITS ? t : DIR_BITS; }

/* Bucket entries the probe would read (an upper bound on its candidates). */
static size_t probe_size(const Tables *tb, const uint32_t qh[NCHUNKS], const int t[NCHUNKS]) {
    size_t total = 0;
    for (int c = 0; c < NCHUNKS; c++) {
        if (t[c] < 0) continue;
        const uint32_t *off = tb->offsets + (size_t)c * (NBUCKETS + 1);
        for (uint32_t i = 0; i < ball_end[high_radius(t[c])]; i++) {
            uint32_t v = qh[c] ^ ball_masks[i];
            total += off[v + 1] - off[v];
        }
    }
    return total;
}

/* Is the row whose xor with the query is `x` (padded) in an earlier chunk's probe? */
static inline int seen_before(const uint8_t *x, int chunk, const int t[NCHUNKS]) {
    for (int c = 0; c < chunk; c++) {
        if (t[c] >= 0 && __builtin_popcount(chunk_of(x, c)) <= t[c]) return 1;
    }
    return 0;
}

/* Entries of chunk c whose chunk lies within t of the query's: for every bucket
 * whose high bits differ by k <= t, the entries whose low bits differ by <= t - k.
 * Returns their positions in the chunk's table (not yet row numbers: reading the
 * row beside each match at once would stall on a cache miss per candidate; the
 * caller translates positions in a second pass with prefetching). */
HOT static size_t collect(const Tables *tb, int c, uint32_t qh, uint32_t ql, int t,
                          uint32_t *cand) {
    const uint32_t *off = tb->offsets + (size_t)c * (NBUCKETS + 1);
    const uint8_t *lows = tb->lows + (size_t)c * tb->n;
    int low_bits = chunk_bits[c] - DIR_BITS;
    uint8_t dlow[256];
    size_t nc = 0;
    for (uint32_t x = 0; x < (1u << low_bits); x++) dlow[x] = (uint8_t)__builtin_popcount(x ^ ql);
    uint32_t nprobe = ball_end[high_radius(t)];
    for (uint32_t i = 0; i < nprobe; i++) {
        if (i + PREFETCH_AHEAD < nprobe) {  /* the bucket bounds, then the bucket itself */
            __builtin_prefetch(off + (qh ^ ball_masks[i + PREFETCH_AHEAD]));
            if (i + PREFETCH_AHEAD / 2 < nprobe)
                __builtin_prefetch(lows + off[qh ^ ball_masks[i + PREFETCH_AHEAD / 2]]);
        }
        int r = t - __builtin_popcount(ball_masks[i]);
        uint32_t v = qh ^ ball_masks[i];
        uint32_t pos = off[v], stop = off[v + 1];
        if (r == 0 && stop - pos > 32) {  /* one low value in a long bucket: memchr */
            const uint8_t *p = lows + pos, *end = lows + stop;
            while (p < end && (p = memchr(p, (int)ql, (size_t)(end - p))) != NULL) {
                cand[nc++] = (uint32_t)(p - lows);
                p++;
            }
            continue;
        }
#ifdef NEAR_SIMD
        const __m128i qvec = _mm_set1_epi8((char)ql), rvec = _mm_set1_epi8((char)r);
        if (stop - pos <= 32 && (size_t)pos + 32 <= tb->n) {  /* see test_bucket */
            uint32_t mask = near16(lows + pos, qvec, rvec, r)
                          | near16(lows + pos + 16, qvec, rvec, r) << 16;
            mask &= (uint32_t)(((uint64_t)1 << (stop - pos)) - 1);
            for (; mask; mask &= mask - 1) cand[nc++] = pos + (uint32_t)__builtin_ctz(mask);
            continue;
        }
        /* 16 entries at a time; never read past the chunk's n entries. */
        for (; pos < stop && pos + 16 <= tb->n; pos += 16) {
            uint32_t mask = near16(lows + pos, qvec, rvec, r);
            if (stop - pos < 16) mask &= (1u << (stop - pos)) - 1;
            while (mask) {
                cand[nc++] = pos + (uint32_t)__builtin_ctz(mask);
                mask &= mask - 1;
            }
        }
#endif
        for (; pos < stop; pos++) {
            cand[nc] = pos;  /* branch-free: keep the slot only when it matches */
            nc += dlow[lows[pos]] <= r;
        }
    }
    return nc;
}

HOT static int probe(const Tables *tb, const uint8_t *q, const uint8_t *qpad, int radius,
                     const int t[NCHUNKS], const uint32_t qv[NCHUNKS], size_t total, Hits *out) {
    uint32_t *cand = malloc((total + 1) * sizeof(uint32_t));
    size_t chunk_end[NCHUNKS], nc = 0;
    if (cand == NULL) return -1;
    for (int c = 0; c < NCHUNKS; c++) {
        if (t[c] >= 0) {
            int low_bits = chunk_bits[c] - DIR_BITS;
            nc += collect(tb, c, qv[c] >> low_bits, qv[c] & ((1u << low_bits) - 1), t[c],
                          cand + nc);
        }
        chunk_end[c] = nc;
    }
    /* Positions -> row numbers, prefetching the table entries ahead. */
    for (int ch = 0, i0 = 0; ch < NCHUNKS; i0 = (int)chunk_end[ch], ch++) {
        const uint8_t *perm = tb->perms + (size_t)ch * tb->perm_stride;
        int width = tb->width;
        for (size_t i = (size_t)i0; i < chunk_end[ch]; i++) {
            if (i + PREFETCH_AHEAD < chunk_end[ch])
                __builtin_prefetch(perm + (size_t)cand[i + PREFETCH_AHEAD] * width);
            cand[i] = load_row(perm + (size_t)cand[i] * width, width);
        }
    }
    uint64_t q0 = load64(q), q1 = load64(q + 8), q2 = load64(q + 16), q3 = load64(q + 24);
    size_t first = out->len;
    int c = 0, failed = 0;
    for (size_t i = 0; i < nc; i++) {
        while (i >= chunk_end[c]) c++;
        if (i + PREFETCH_AHEAD < nc)
            __builtin_prefetch(tb->codes + (size_t)cand[i + PREFETCH_AHEAD] * CODE_BYTES);
        /* Row numbers come from a snapshot that may be corrupt: never read past n. */
        if (cand[i] >= tb->n) continue;
        const uint8_t *p = tb->codes + (size_t)cand[i] * CODE_BYTES;
        uint64_t x[4] = {load64(p) ^ q0, load64(p + 8) ^ q1, load64(p + 16) ^ q2,
                         load64(p + 24) ^ q3};
        int d = __builtin_popcountll(x[0]) + __builtin_popcountll(x[1])
              + __builtin_popcountll(x[2]) + __builtin_popcountll(x[3]);
        if (d > radius || is_dead(tb->tomb, cand[i])) continue;
        uint8_t xpad[PAD_BYTES] = {0};
        memcpy(xpad, x, CODE_BYTES);
        if (seen_before(xpad, c, t)) continue;
        if (hits_push(out, cand[i], (uint32_t)d)) { failed = 1; break; }
    }
    (void)qpad;
    free(cand);
    if (failed) return -1;
    qsort(out->keys + first, out->len - first, sizeof(uint64_t), cmp_u64);
    return 0;
}

/* All live rows within `radius` of q, appended to out sorted by (distance, row). */
static int search_one(const Tables *tb, const uint8_t *q, int radius, Hits *out) {
    if (radius < 0 || tb->n == 0) return 0;
    if (tb->offsets == NULL) return scan(tb, q, radius, out);
    int t[NCHUNKS];
    uint32_t qv[NCHUNKS], qh[NCHUNKS];
    uint8_t qpad[PAD_BYTES] = {0};
    memcpy(qpad, q, CODE_BYTES);
    chunk_radii(radius, t);
    for (int c = 0; c < NCHUNKS; c++) {
        qv[c] = chunk_of(qpad, c);
        qh[c] = qv[c] >> (chunk_bits[c] - DIR_BITS);
    }
    size_t total = probe_size(tb, qh, t);
    if (total > SCAN_COST * tb->n) return scan(tb, q, radius, out);
    return probe(tb, q, qpad, radius, t, qv, total, out);
}

/* ------------------------------------------------------- batch searches */

/* A batch of queries probes the same tables many times. Probed one query at a
 * time, every bucket is a random read (about 1,400 per query at T = 31), which
 * is what a single query costs. A batch is searched chunk by chunk instead, in
 * one of two orders that read the tables in address order:
 *
 * - swept: the queries are sorted by the chunk's value, then for each mask of
 *   the ball every query probes its bucket; consecutive probes land on
 *   ascending buckets, so the table is read in order once per mask. Best while
 *   the buckets are small (up to ~2M rows) and the chunk's table stays in cache;
 * - bucket order: every query's probes are counting-sorted by bucket, then the
 *   table is walked once and each bucket tested against every query that
 *   probes it. Best for large tables, where each bucket read is a cache miss.
 *
 * Both find the same candidates as `probe`, verify them the same way (in groups,
 * with their table entries and codes prefetched) and apply the same first-chunk
 * rule, so the results are identical to the query-by-query path. */

#define SORTED_SUB 4096   /* queries per bucket-order sub-batch: probe lists stay in L2 */
#define SWEPT_SUB 16384   /* queries per swept sub-batch: denser sweeps */
#define SORTED_MIN 256    /* smaller batches are searched query by query */
#define PENDING 256
#define FAR 24            /* verification prefetches table entries this far ahead */
#define NEAR 12           /* ... and codes this far ahead */

typedef struct {
    uint32_t query, pos;
} Pending;

/* Candidates of one chunk of a batch, verified PENDING at a time. */
typedef struct {
    const Tables *tb;
    const uint8_t *queries;
    const int *t;
    int radius, c, np, failed;
    Hits *results;
    Pending pend[PENDING];
} Verifier;

/* Verify the pending candidates on all 256 bits: a rolling pipeline prefetches
 * the table entry FAR candidates ahead and, once its row is known, the code
 * NEAR ahead, so the two dependent cache misses of each overlap with others'. */
HOT static void flush_pending(Verifier *v) {
    const Tables *tb = v->tb;
    const uint8_t *perm = tb->perms + (size_t)v->c * tb->perm_stride;
    const Pending *pend = v->pend;
    uint32_t rows[PENDING];
    int width = tb->width, np = v->np;
    v->np = 0;
    for (int k = 0; k < FAR && k < np; k++) __builtin_prefetch(perm + (size_t)pend[k].pos * width);
    for (int k = 0; k < NEAR && k < np; k++) {
        rows[k] = load_row(perm + (size_t)pend[k].pos * width, width);
        if (rows[k] < tb->n) __builtin_prefetch(tb->codes + (size_t)rows[k] * CODE_BYTES);
    }
    for (int k = 0; k < np; k++) {
        if (k + FAR < np) __builtin_prefetch(perm + (size_t)pend[k + FAR].pos * width);
        if (k + NEAR < np) {
            uint32_t ahead = load_row(perm + (size_t)pend[k + NEAR].pos * width, width);
            rows[k + NEAR] = ahead;
            if (ahead < tb->n) __builtin_prefetch(tb->codes + (size_t)ahead * CODE_BYTES);
        }
        if (rows[k] >= tb->n) continue;  /* a corrupt snapshot: never read past n */
        const uint8_t *q = v->queries + (size_t)pend[k].query * CODE_BYTES;
        const uint8_t *p = tb->codes + (size_t)rows[k] * CODE_BYTES;
        uint64_t x[4] = {load64(p) ^ load64(q), load64(p + 8) ^ load64(q + 8),
                         load64(p + 16) ^ load64(q + 16), load64(p + 24) ^ load64(q + 24)};
        int d = __builtin_popcountll(x[0]) + __builtin_popcountll(x[1])
              + __builtin_popcountll(x[2]) + __builtin_popcountll(x[3]);
        if (d > v->radius || is_dead(tb->tomb, rows[k])) continue;
        uint8_t xpad[PAD_BYTES] = {0};
        memcpy(xpad, x, CODE_BYTES);
        if (seen_before(xpad, v->c, v->t)) continue;
        if (hits_push(&v->results[pend[k].query], rows[k], (uint32_t)d)) {
            v->failed = 1;
            return;
        }
    }
}

static inline void candidate(Verifier *v, uint32_t query, uint32_t pos) {
    v->pend[v->np].query = query;
    v->pend[v->np].pos = pos;
    if (++v->np == PENDING) flush_pending(v);
}

/* Queue the entries of [pos, hi) whose low bits lie within r of ql. */
static inline void test_bucket(Verifier *v, const uint8_t *lows, uint32_t pos, uint32_t hi,
                               uint8_t ql, int r, uint32_t query) {
#ifdef NEAR_SIMD
    size_t n = v->tb->n;
    const __m128i qvec = _mm_set1_epi8((char)ql), rvec = _mm_set1_epi8((char)r);
    if (hi - pos <= 32 && (size_t)pos + 32 <= n) {
        /* the usual small bucket: two loads and no data-dependent loop, which
         * would mispredict on every other bucket */
        uint32_t bits = near16(lows + pos, qvec, rvec, r) | near16(lows + pos + 16, qvec, rvec, r) << 16;
        bits &= (uint32_t)(((uint64_t)1 << (hi - pos)) - 1);
        for (; bits; bits &= bits - 1) candidate(v, query, pos + (uint32_t)__builtin_ctz(bits));
        return;
    }
    for (; pos < hi && (size_t)pos + 16 <= n; pos += 16) {  /* never read past n entries */
        uint32_t bits = near16(lows + pos, qvec, rvec, r);
        if (hi - pos < 16) bits &= (1u << (hi - pos)) - 1;
        for (; bits; bits &= bits - 1) candidate(v, query, pos + (uint32_t)__builtin_ctz(bits));
    }
#endif
    for (; pos < hi; pos++)
        if (__builtin_popcount((uint32_t)(lows[pos] ^ ql)) <= r) candidate(v, query, pos);
}

/* One chunk of a batch: its table and the radius its probes use. */
typedef struct {
    const uint32_t *off;  /* the chunk's bucket bounds */
    const uint8_t *lows;  /* the chunk's low bits, in table order */
    int low_bits, t;
    uint32_t nball;       /* bucket masks probed: popcount <= min(t, DIR_BITS) */
} Chunk;

/* A batch kernel's pass over one chunk: queue every candidate on `ver`. */
typedef void (*ChunkPass)(void *scratch, const uint8_t *queries, size_t nq, const Chunk *ch,
                          Verifier *ver);

/* Run `pass` over every probed chunk, verify its candidates, then sort each
 * query's hits by (distance, row). */
static int search_by_chunk(const Tables *tb, const uint8_t *queries, size_t nq, int radius,
                           Hits *results, ChunkPass pass, void *scratch) {
    int t[NCHUNKS], failed = 0;
    chunk_radii(radius, t);
    Verifier *ver = malloc(sizeof(Verifier));
    if (ver == NULL) return -1;
    for (int c = 0; c < NCHUNKS && !failed; c++) {
        if (t[c] < 0) continue;
        Chunk ch = {.off = tb->offsets + (size_t)c * (NBUCKETS + 1),
                    .lows = tb->lows + (size_t)c * tb->n, .low_bits = chunk_bits[c] - DIR_BITS,
                    .t = t[c], .nball = ball_end[high_radius(t[c])]};
        *ver = (Verifier){.tb = tb, .queries = queries, .t = t, .radius = radius, .c = c,
                          .results = results};
        pass(scratch, queries, nq, &ch, ver);
        if (ver->np && !ver->failed) flush_pending(ver);
        failed = ver->failed;
    }
    free(ver);
    for (size_t i = 0; i < nq && !failed; i++)
        qsort(results[i].keys, results[i].len, sizeof(uint64_t), cmp_u64);
    return failed ? -1 : 0;
}

/* The value of chunk c of query i. */
static inline uint32_t query_chunk(const uint8_t *queries, size_t i, int c) {
    uint8_t pad[PAD_BYTES] = {0};
    memcpy(pad, queries + i * CODE_BYTES, CODE_BYTES);
    return chunk_of(pad, c);
}

typedef struct {
    uint32_t *count, *slots, *qhigh;
    uint8_t *qlow;
} BucketScratch;

/* Bucket order, one chunk: counting-sort every probe by bucket, then walk the table. */
HOT static void bucket_pass(void *scratch, const uint8_t *queries, size_t nq, const Chunk *ch,
                            Verifier *ver) {
    BucketScratch *b = scratch;
    uint32_t *count = b->count, *slots = b->slots, *qhigh = b->qhigh;
    uint8_t *qlow = b->qlow;
    memset(count, 0, (NBUCKETS + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < nq; i++) {
        uint32_t v = query_chunk(queries, i, ver->c);
        qhigh[i] = v >> ch->low_bits;
        qlow[i] = (uint8_t)(v & ((1u << ch->low_bits) - 1));
        for (uint32_t m = 0; m < ch->nball; m++) count[(qhigh[i] ^ ball_masks[m]) + 1]++;
    }
    for (uint32_t v = 0; v < NBUCKETS; v++) count[v + 1] += count[v];
    for (size_t i = 0; i < nq; i++)  /* afterwards count[v] ends bucket v's list */
        for (uint32_t m = 0; m < ch->nball; m++) slots[count[qhigh[i] ^ ball_masks[m]]++] = (uint32_t)i;
    uint32_t first = 0;
    for (uint32_t v = 0; v < NBUCKETS && !ver->failed; first = count[v], v++) {
        uint32_t lo = ch->off[v], hi = ch->off[v + 1];
        if (first == count[v] || lo == hi) continue;
        for (uint32_t s = first; s < count[v]; s++) {
            uint32_t i = slots[s];
            test_bucket(ver, ch->lows, lo, hi, qlow[i], ch->t - __builtin_popcount(qhigh[i] ^ v), i);
        }
    }
}

/* Bucket order: search queries[0 .. nq) (nq <= SORTED_SUB) into results[0 .. nq). */
static int search_sorted(const Tables *tb, const uint8_t *queries, size_t nq, int radius,
                         Hits *results) {
    int t[NCHUNKS];
    chunk_radii(radius, t);  /* t[0] is the largest radius: it sizes the probe lists */
    BucketScratch b = {
        .count = malloc((NBUCKETS + 1) * sizeof(uint32_t)),
        .slots = malloc((nq * ball_end[high_radius(t[0])] + 1) * sizeof(uint32_t)),
        .qhigh = malloc((nq + 1) * sizeof(uint32_t)), .qlow = malloc(nq + 1)};
    int failed = b.count == NULL || b.slots == NULL || b.qhigh == NULL || b.qlow == NULL
                 || search_by_chunk(tb, queries, nq, radius, results, bucket_pass, &b);
    free(b.count);
    free(b.slots);
    free(b.qhigh);
    free(b.qlow);
    return failed ? -1 : 0;
}

typedef struct {
    uint64_t *keys;     /* chunk value << 32 | query, sorted */
    uint32_t *sh, *sq;  /* high bits and query number, in that order */
    uint8_t *sl;        /* low bits, in that order */
} SweptScratch;

/* Swept, one chunk: sort the queries by the chunk's value, then sweep the table
 * once per ball mask. */
HOT static void swept_pass(void *scratch, const uint8_t *queries, size_t nq, const Chunk *ch,
                           Verifier *ver) {
    SweptScratch *w = scratch;
    uint32_t *sh = w->sh, *sq = w->sq;
    uint8_t *sl = w->sl;
    for (size_t i = 0; i < nq; i++) w->keys[i] = ((uint64_t)query_chunk(queries, i, ver->c) << 32) | i;
    qsort(w->keys, nq, sizeof(uint64_t), cmp_u64);
    for (size_t j = 0; j < nq; j++) {
        uint32_t v = (uint32_t)(w->keys[j] >> 32);
        sh[j] = v >> ch->low_bits;
        sl[j] = (uint8_t)(v & ((1u << ch->low_bits) - 1));
        sq[j] = (uint32_t)w->keys[j];
    }
    const uint32_t *off = ch->off;
    for (uint32_t m = 0; m < ch->nball && !ver->failed; m++) {
        uint32_t mask = ball_masks[m];
        int r = ch->t - __builtin_popcount(mask);
        for (size_t j = 0; j < nq; j++) {
            if (j + 16 < nq) __builtin_prefetch(off + (sh[j + 16] ^ mask));
            if (j + 8 < nq) __builtin_prefetch(ch->lows + off[sh[j + 8] ^ mask]);
            uint32_t v = sh[j] ^ mask;
            test_bucket(ver, ch->lows, off[v], off[v + 1], sl[j], r, sq[j]);
        }
    }
}

/* Swept: search queries[0 .. nq) chunk by chunk and ball mask by ball mask, the
 * queries sorted by the chunk's value so that each sweep reads the table in order. */
static int search_swept(const Tables *tb, const uint8_t *queries, size_t nq, int radius,
                        Hits *results) {
    SweptScratch w = {.keys = malloc((nq + 1) * sizeof(uint64_t)),
                      .sh = malloc((nq + 1) * sizeof(uint32_t)),
                      .sq = malloc((nq + 1) * sizeof(uint32_t)), .sl = malloc(nq + 1)};
    int failed = w.keys == NULL || w.sh == NULL || w.sq == NULL || w.sl == NULL
                 || search_by_chunk(tb, queries, nq, radius, results, swept_pass, &w);
    free(w.keys);
    free(w.sh);
    free(w.sq);
    free(w.sl);
    return failed ? -1 : 0;
}

/* How a batch is searched: query by query (which also covers the radii where a
 * linear scan is cheaper), or, for batches of SORTED_MIN queries or more, swept
 * (tables whose buckets mostly fit two 16-byte loads) or in bucket order. */
enum { ORDER_AUTO = -1, ORDER_QUERY = 0, ORDER_BUCKET = 1, ORDER_SWEPT = 2 };
#define SWEPT_MAX_ROWS ((size_t)32 * NBUCKETS)

static int batch_order(const Tables *tb, size_t nq, int radius, int order) {
    if (tb->offsets == NULL || radius < 0 || tb->n == 0) return ORDER_QUERY;
    if (order != ORDER_AUTO) return order;
    if (nq < SORTED_MIN) return ORDER_QUERY;
    int t[NCHUNKS];
    chunk_radii(radius, t);
    double probes = 0;
    for (int c = 0; c < NCHUNKS; c++) if (t[c] >= 0) probes += ball_end[high_radius(t[c])];
    /* expected entries read per query, against a linear scan's cost */
    if (probes * ((double)tb->n / NBUCKETS) > (double)SCAN_COST * (double)tb->n / 2)
        return ORDER_QUERY;
    return tb->n <= SWEPT_MAX_ROWS ? ORDER_SWEPT : ORDER_BUCKET;
}

/* ------------------------------------------------------------ batch search */

typedef struct {
    const Tables *tb;
    const uint8_t *queries;
    size_t nq;
    int radius;
    int order;    /* ORDER_QUERY, ORDER_BUCKET or ORDER_SWEPT */
    size_t step;  /* queries taken at a time */
    Hits *results;
    size_t next;  /* next query to take; guarded by lock */
    int failed;
#ifndef _WIN32
    pthread_mutex_t lock;
#endif
} Batch;

#define BATCH_STEP 16

static void *batch_worker(void *arg) {
    Batch *b = arg;
    for (;;) {
        size_t start;
#ifndef _WIN32
        pthread_mutex_lock(&b->lock);
#endif
        size_t step = b->step;
        start = b->next;
        b->next += step;
#ifndef _WIN32
        pthread_mutex_unlock(&b->lock);
#endif
        if (start >= b->nq) return NULL;
        size_t end = start + step < b->nq ? start + step : b->nq;
        if (b->order != ORDER_QUERY) {
            if ((b->order == ORDER_SWEPT ? search_swept : search_sorted)(
                    b->tb, b->queries + start * CODE_BYTES, end - start, b->radius,
                    b->results + start))
                b->failed = 1;
            continue;
        }
        for (size_t i = start; i < end; i++) {
            if (search_one(b->tb, b->queries + i * CODE_BYTES, b->radius, &b->results[i]))
                b->failed = 1;
        }
    }
}

static void run_batch(Batch *b, int threads) {
    b->step = BATCH_STEP;
    if (b->order != ORDER_QUERY) {  /* equal sub-batches, a whole number per thread */
        size_t most = b->order == ORDER_SWEPT ? SWEPT_SUB : SORTED_SUB;
        size_t workers = threads > 1 ? (size_t)threads : 1;
        size_t rounds = (b->nq + workers * most - 1) / (workers * most);
        size_t step = (b->nq + workers * rounds - 1) / (workers * rounds);
        b->step = step < SORTED_MIN ? SORTED_MIN : step;
    }
#ifndef _WIN32
    if (threads > 1 && b->nq > b->step) {
        pthread_t ids[256];
        int started = 0;
        if (threads > 256) threads = 256;
        pthread_mutex_init(&b->lock, NULL);
        for (int i = 1; i < threads; i++) {  /* this thread is the last worker */
            if (pthread_create(&ids[started], NULL, batch_worker, b) == 0) started++;
        }
        batch_worker(b);
        for (int i = 0; i < started; i++) pthread_join(ids[i], NULL);
        pthread_mutex_destroy(&b->lock);
        return;
    }
    pthread_mutex_init(&b->lock, NULL);
    batch_worker(b);
    pthread_mutex_destroy(&b->lock);
#else
    (void)threads;
    batch_worker(b);
#endif
}

static PyObject *pack_results(Hits *results, size_t nq) {
    size_t total = 0;
    for (size_t i = 0; i < nq; i++) total += results[i].len;
    PyObject *counts = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(nq * sizeof(uint64_t)));
    PyObject *rows = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(total * sizeof(uint32_t)));
    PyObject *dists = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(total * sizeof(int32_t)));
    if (counts == NULL || rows == NULL || dists == NULL) {
        Py_XDECREF(counts);
        Py_XDECREF(rows);
        Py_XDECREF(dists);
        return NULL;
    }
    uint64_t *cp = (uint64_t *)PyBytes_AS_STRING(counts);
    uint32_t *rp = (uint32_t *)PyBytes_AS_STRING(rows);
    int32_t *dp = (int32_t *)PyBytes_AS_STRING(dists);
    for (size_t i = 0; i < nq; i++) {
        cp[i] = results[i].len;
        for (size_t j = 0; j < results[i].len; j++) {
            *rp++ = (uint32_t)results[i].keys[j];
            *dp++ = (int32_t)(results[i].keys[j] >> 32);
        }
    }
    return Py_BuildValue("(NNN)", counts, rows, dists);
}

static int tables_from(Tables *tb, Py_buffer *codes, Py_buffer *offsets, Py_buffer *perms,
                       Py_buffer *lows, Py_buffer *tomb, int width) {
    tb->codes = codes->buf;
    tb->n = (size_t)codes->len / CODE_BYTES;
    tb->offsets = offsets->buf;
    tb->perms = perms->buf;
    tb->lows = lows->buf;
    tb->width = width;
    tb->tomb = tomb->buf;
    tb->perm_stride = perms->buf ? (size_t)perms->len / NCHUNKS : 0;
    if (codes->len % CODE_BYTES) {
        PyErr_SetString(PyExc_ValueError, "codes must hold whole 32-byte codes");
        return -1;
    }
    if (offsets->buf != NULL) {
        if (perms->buf == NULL || lows->buf == NULL || (width != 3 && width != 4)
            || offsets->len != (Py_ssize_t)(NCHUNKS * (NBUCKETS + 1) * sizeof(uint32_t))
            || tb->perm_stride < tb->n * (size_t)width
            || (size_t)lows->len != NCHUNKS * tb->n) {
            PyErr_SetString(PyExc_ValueError, "index tables do not match the codes");
            return -1;
        }
        const uint32_t *off = tb->offsets;
        for (int c = 0; c < NCHUNKS; c++) {
            if (off[(size_t)c * (NBUCKETS + 1) + NBUCKETS] != tb->n) {
                PyErr_SetString(PyExc_ValueError, "index offsets do not match the codes");
                return -1;
            }
        }
    }
    if (tomb->buf != NULL && (size_t)tomb->len * 8 < tb->n) {
        PyErr_SetString(PyExc_ValueError, "tombstone bitmap is too short");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(search_doc,
"search(codes, offsets, perms, lows, width, tomb, queries, radius, threads, order=-1)\n"
"--\n\n"
"Rows within `radius` of each 32-byte query in `queries`.\n\n"
"`order` picks how a batch is searched: -1 chooses (query by query below 256\n"
"queries, else swept up to 2M rows and bucket order above), 0 query by query,\n"
"1 bucket order, 2 swept. Every order gives the same results; forcing one is\n"
"for tests and benchmarks.\n"
"`offsets`, `perms` and `lows` may be None (linear scan), `tomb` may be None.\n"
"Returns bytes (counts uint64 per query, rows uint32, distances int32),\n"
"each query's rows sorted by (distance, row).");

static PyObject *py_search(PyObject *self, PyObject *args) {
    Py_buffer codes, offsets, perms, lows, tomb, queries;
    int width, radius, threads, order = ORDER_AUTO;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*z*z*z*iz*y*ii|i", &codes, &offsets, &perms, &lows, &width,
                          &tomb, &queries, &radius, &threads, &order))
        return NULL;
    PyObject *result = NULL;
    Tables tb;
    Hits *hits = NULL;
    size_t nq = (size_t)queries.len / CODE_BYTES;
    if (tables_from(&tb, &codes, &offsets, &perms, &lows, &tomb, width)) goto done;
    if (queries.len % CODE_BYTES) {
        PyErr_SetString(PyExc_ValueError, "queries must hold whole 32-byte codes");
        goto done;
    }
    if (order < ORDER_AUTO || order > ORDER_SWEPT) {
        PyErr_SetString(PyExc_ValueError, "order must be -1 (auto), 0 (query), 1 (bucket) or 2 (swept)");
        goto done;
    }
    hits = calloc(nq ? nq : 1, sizeof(Hits));
    if (hits == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Batch batch = {.tb = &tb, .queries = queries.buf, .nq = nq, .radius = radius,
                   .order = batch_order(&tb, nq, radius, order), .results = hits,
                   .next = 0, .failed = 0};
    Py_BEGIN_ALLOW_THREADS
    run_batch(&batch, threads);
    Py_END_ALLOW_THREADS
    if (batch.failed)
        PyErr_NoMemory();
    else
        result = pack_results(hits, nq);
done:
    if (hits != NULL) {
        for (size_t i = 0; i < nq; i++) free(hits[i].keys);
        free(hits);
    }
    PyBuffer_Release(&codes);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&perms);
    PyBuffer_Release(&lows);
    PyBuffer_Release(&tomb);
    PyBuffer_Release(&queries);
    return result;
}

/* ------------------------------------------------------------------ build */

/* Counting sort of the rows by the directory bits of each chunk: one pass for
 * the histograms, one that places every row in every chunk's table. */
static int build_tables(const uint8_t *codes, size_t n, int width, uint32_t *offsets,
                        uint8_t *perms, size_t stride, uint8_t *lows) {
    uint32_t *cursor = malloc((size_t)NCHUNKS * NBUCKETS * sizeof(uint32_t));
    uint8_t pad[PAD_BYTES] = {0};
    if (cursor == NULL) return -1;
    memset(offsets, 0, (size_t)NCHUNKS * (NBUCKETS + 1) * sizeof(uint32_t));
    for (size_t r = 0; r < n; r++) {
        memcpy(pad, codes + r * CODE_BYTES, CODE_BYTES);
        for (int c = 0; c < NCHUNKS; c++)
            offsets[(size_t)c * (NBUCKETS + 1) + (chunk_of(pad, c) >> (chunk_bits[c] - DIR_BITS)) + 1]++;
    }
    for (int c = 0; c < NCHUNKS; c++) {
        uint32_t *off = offsets + (size_t)c * (NBUCKETS + 1);
        for (uint32_t v = 0; v < NBUCKETS; v++) off[v + 1] += off[v];
        memcpy(cursor + (size_t)c * NBUCKETS, off, NBUCKETS * sizeof(uint32_t));
    }
    for (size_t r = 0; r < n; r++) {
        memcpy(pad, codes + r * CODE_BYTES, CODE_BYTES);
        for (int c = 0; c < NCHUNKS; c++) {
            int low_bits = chunk_bits[c] - DIR_BITS;
            uint32_t v = chunk_of(pad, c);
            uint32_t pos = cursor[(size_t)c * NBUCKETS + (v >> low_bits)]++;
            store_row(perms + (size_t)c * stride + (size_t)pos * width, width, (uint32_t)r);
            lows[(size_t)c * n + pos] = (uint8_t)(v & ((1u << low_bits) - 1));
        }
    }
    free(cursor);
    return 0;
}

PyDoc_STRVAR(build_doc,
"build(codes, width, offsets, perms, lows)\n"
"--\n\n"
"Fill `offsets` (uint32, NCHUNKS x 65537), `perms` (NCHUNKS slices of at least\n"
"n * width bytes) and `lows` (uint8, NCHUNKS x n) from `codes` (n x 32 bytes).");

static PyObject *py_build(PyObject *self, PyObject *args) {
    Py_buffer codes, offsets, perms, lows;
    int width, rc = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*iw*w*w*", &codes, &width, &offsets, &perms, &lows))
        return NULL;
    size_t n = (size_t)codes.len / CODE_BYTES;
    size_t stride = (size_t)perms.len / NCHUNKS;
    if (codes.len % CODE_BYTES || (width != 3 && width != 4) || n >= ((size_t)1 << (8 * width))
        || offsets.len != (Py_ssize_t)(NCHUNKS * (NBUCKETS + 1) * sizeof(uint32_t))
        || stride < n * (size_t)width || (size_t)lows.len != NCHUNKS * n) {
        PyErr_SetString(PyExc_ValueError, "build: buffer sizes do not match");
        rc = -2;
    } else {
        Py_BEGIN_ALLOW_THREADS
        rc = build_tables(codes.buf, n, width, offsets.buf, perms.buf, stride, lows.buf);
        Py_END_ALLOW_THREADS
        if (rc) PyErr_NoMemory();
    }
    PyBuffer_Release(&codes);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&perms);
    PyBuffer_Release(&lows);
    if (rc) return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"search", py_search, METH_VARARGS, search_doc},
    {"build", py_build, METH_VARARGS, build_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_mih",
    "C kernels of accord.index.pdq: multi-index hashing over 256-bit PDQ codes.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__mih(void) {
    init_tables();
    PyObject *mod = PyModule_Create(&module);
    if (mod != NULL && (PyModule_AddIntConstant(mod, "NCHUNKS", NCHUNKS)
                        || PyModule_AddIntConstant(mod, "NBUCKETS", NBUCKETS)
                        || PyModule_AddIntConstant(mod, "ORDER_AUTO", ORDER_AUTO)
                        || PyModule_AddIntConstant(mod, "ORDER_QUERY", ORDER_QUERY)
                        || PyModule_AddIntConstant(mod, "ORDER_BUCKET", ORDER_BUCKET)
                        || PyModule_AddIntConstant(mod, "ORDER_SWEPT", ORDER_SWEPT))) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
