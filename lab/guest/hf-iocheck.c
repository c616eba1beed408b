/*
 * hf-iocheck: the lab guests' I/O checker. Writes sequence-numbered, checksummed blocks to a block device (or a
 * file), reads them back and verifies them, and counts I/O errors, mismatches and the longest stall: the longest
 * time between two completed I/Os (a request that hangs, or a process that is not scheduled, both show as a stall).
 * Ends with one machine-readable summary line on stdout:
 *   HF-IOCHECK device=D mode=M bs=B blocks=N direct=0|1 passes=P writes=W reads=R errors=E mismatches=X
 *              longest_stall_ms=S elapsed_ms=T result=ok|fail
 * Exit code 0 when errors and mismatches are both 0, 1 otherwise, 2 on bad usage.
 *
 * Block layout (little-endian): magic "HFIO1\0\0\0" | run seed u64 | block index u64 | sequence u64 |
 * payload (bs - 36 bytes, a xorshift stream seeded from seed and sequence) | crc32 of everything before it.
 * The sequence is pass * blocks + index, so a block left over from an older pass (a lost write) is a mismatch.
 *
 * Usage: hf-iocheck [--mode write|verify|both] [--bs BYTES] [--blocks N] [--passes P] [--duration SECONDS]
 *                   [--seed S] [--pass P] DEVICE
 *   both (default): P passes (or passes until DURATION has elapsed), each writing every block and verifying it;
 *   write / verify: one pass with sequence number PASS (default 0), e.g. write, disturb, verify later.
 * Built statically by lab/hyperform-lab for the guest image; the unit test HfIocheckTest compiles and runs it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

#define HDR 32
#define MAX_REPORTED 10

static uint32_t crc_table[256];
static uint64_t last_done_ns, longest_stall_ns;
static long long writes, reads, errors, mismatches;

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const unsigned char *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

/* one I/O has completed (or failed): the time since the previous one is a candidate for the longest stall */
static void io_done(void) {
    uint64_t t = now_ns();
    if (t - last_done_ns > longest_stall_ns) longest_stall_ns = t - last_done_ns;
    last_done_ns = t;
}

static void put64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char) (v >> (8 * i)); }
static uint64_t get64(const unsigned char *p) { uint64_t v = 0; for (int i = 7; i >= 0; i--) v = v << 8 | p[i]; return v; }

static void fill(unsigned char *b, size_t bs, uint64_t seed, uint64_t index, uint64_t seq) {
    memcpy(b, "HFIO1\0\0\0", 8);
    put64(b + 8, seed);
    put64(b + 16, index);
    put64(b + 24, seq);
    uint64_t x = seed * 0x9E3779B97F4A7C15ull ^ seq ^ 0xD1B54A32D192ED03ull;
    if (x == 0) x = 1;
    for (size_t i = HDR; i + 4 <= bs - 4; i += 4) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        memcpy(b + i, &x, 4);
    }
    uint32_t c = crc32(b, bs - 4);
    memcpy(b + bs - 4, &c, 4);
}

static const char *why_mismatch(const unsigned char *got, const unsigned char *want, size_t bs) {
    uint32_t c;
    memcpy(&c, got + bs - 4, 4);
    if (memcmp(got, "HFIO1\0\0\0", 8) != 0) return "no block header (never written?)";
    if (crc32(got, bs - 4) != c) return "checksum does not match the contents (corrupted)";
    if (get64(got + 8) != get64(want + 8)) return "written by another run (seed differs)";
    if (get64(got + 16) != get64(want + 16)) return "block of another offset (misdirected write)";
    if (get64(got + 24) != get64(want + 24)) return "older sequence number (lost write)";
    return "contents differ";
}

static void usage(void) {
    fprintf(stderr, "usage: hf-iocheck [--mode write|verify|both] [--bs BYTES] [--blocks N] [--passes P] "
                    "[--duration SECONDS] [--seed S] [--pass P] DEVICE\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *mode = "both", *dev = NULL;
    long long bs = 4096, blocks = 0, passes = 1, first_pass = 0;
    double duration = 0;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') { dev = a; continue; }
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--mode")) mode = v;
        else if (!strcmp(a, "--bs")) bs = atoll(v);
        else if (!strcmp(a, "--blocks")) blocks = atoll(v);
        else if (!strcmp(a, "--passes")) passes = atoll(v);
        else if (!strcmp(a, "--duration")) duration = atof(v);
        else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--pass")) first_pass = atoll(v);
        else usage();
    }
    int do_write = !strcmp(mode, "write") || !strcmp(mode, "both");
    int do_verify = !strcmp(mode, "verify") || !strcmp(mode, "both");
    if (!dev || (!do_write && !do_verify) || bs < 512 || bs % 512 || passes < 1) usage();
    if (strcmp(mode, "both")) passes = 1;

    int direct = 1;
    int fd = open(dev, (do_write ? O_RDWR : O_RDONLY) | O_DIRECT);
    if (fd < 0 && errno == EINVAL) { direct = 0; fd = open(dev, do_write ? O_RDWR : O_RDONLY); }
    if (fd < 0) { fprintf(stderr, "hf-iocheck: cannot open %s: %s\n", dev, strerror(errno)); return 2; }
    if (blocks == 0) {
        struct stat st;
        unsigned long long size = 0;
        if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode)) ioctl(fd, BLKGETSIZE64, &size);
        else if (fstat(fd, &st) == 0) size = (unsigned long long) st.st_size;
        blocks = (long long) (size / (unsigned long long) bs);
        if (blocks == 0) { fprintf(stderr, "hf-iocheck: %s holds no whole block of %lld bytes; give --blocks\n", dev, bs); return 2; }
    }
    unsigned char *buf, *want;
    if (posix_memalign((void **) &buf, 4096, (size_t) bs) || posix_memalign((void **) &want, 4096, (size_t) bs)) return 2;
    crc_init();

    uint64_t start = now_ns();
    last_done_ns = start;
    long long pass = 0;
    int reported = 0;
    for (;; pass++) {
        if (duration > 0 ? (pass > 0 && (now_ns() - start) / 1e9 >= duration) : pass >= passes) break;
        uint64_t p = (uint64_t) (first_pass + pass);
        if (do_write) {
            for (long long i = 0; i < blocks; i++) {
                fill(buf, (size_t) bs, seed, (uint64_t) i, p * (uint64_t) blocks + (uint64_t) i);
                ssize_t n = pwrite(fd, buf, (size_t) bs, (off_t) (i * bs));
                io_done();
                writes++;
                if (n != bs) {
                    errors++;
                    if (reported++ < MAX_REPORTED) fprintf(stderr, "hf-iocheck: write of block %lld failed: %s\n", i, n < 0 ? strerror(errno) : "short write");
                }
            }
            if (fdatasync(fd) != 0 && errno != EINVAL) { errors++; fprintf(stderr, "hf-iocheck: fdatasync: %s\n", strerror(errno)); }
            io_done();
        }
        if (do_verify) {
            for (long long i = 0; i < blocks; i++) {
                ssize_t n = pread(fd, buf, (size_t) bs, (off_t) (i * bs));
                io_done();
                reads++;
                if (n != bs) {
                    errors++;
                    if (reported++ < MAX_REPORTED) fprintf(stderr, "hf-iocheck: read of block %lld failed: %s\n", i, n < 0 ? strerror(errno) : "short read");
                    continue;
                }
                fill(want, (size_t) bs, seed, (uint64_t) i, p * (uint64_t) blocks + (uint64_t) i);
                if (memcmp(buf, want, (size_t) bs) != 0) {
                    mismatches++;
                    if (reported++ < MAX_REPORTED) fprintf(stderr, "hf-iocheck: block %lld (pass %llu): %s\n", i, (unsigned long long) p, why_mismatch(buf, want, (size_t) bs));
                }
            }
        }
    }
    uint64_t end = now_ns();
    printf("HF-IOCHECK device=%s mode=%s bs=%lld blocks=%lld direct=%d passes=%lld writes=%lld reads=%lld errors=%lld "
           "mismatches=%lld longest_stall_ms=%llu elapsed_ms=%llu result=%s\n",
           dev, mode, bs, blocks, direct, pass, writes, reads, errors, mismatches,
           (unsigned long long) (longest_stall_ns / 1000000), (unsigned long long) ((end - start) / 1000000),
           errors == 0 && mismatches == 0 ? "ok" : "fail");
    fflush(stdout);
    close(fd);
    return errors == 0 && mismatches == 0 ? 0 : 1;
}
