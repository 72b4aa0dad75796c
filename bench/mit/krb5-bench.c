/*
 * MIT krb5 side of bench/crypto-vs-mit: times krb5_k_decrypt, krb5_k_encrypt, krb5_k_make_checksum
 * (warm krb5_key, derived keys cached by libkrb5) and krb5_c_string_to_key_with_params.
 * Usage: krb5-bench <ms per case> <op>:<etype>:<size> ...   (op: decrypt, encrypt, checksum, s2k, or cold: a
 * decrypt with a key made for the call, derivation included; size is the plaintext length, or the PBKDF2
 * iteration count for s2k)
 * Prints one line per case: "<op>:<etype>:<size> <best ns per call>".
 */
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USAGE 3
#define BATCHES 15

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void check(krb5_context ctx, krb5_error_code ret, const char *what) {
  if (ret == 0) return;
  const char *msg = krb5_get_error_message(ctx, ret);
  fprintf(stderr, "krb5-bench: %s: %s\n", what, msg);
  krb5_free_error_message(ctx, msg);
  exit(1);
}

struct bench_case {
  krb5_context ctx;
  krb5_key key;
  krb5_keyblock *keyblock;
  krb5_enctype etype;
  krb5_data plain;
  krb5_enc_data enc;
  krb5_data out;
  krb5_data params;
};

static void op_decrypt(struct bench_case *c) {
  c->out.length = c->plain.length;
  check(c->ctx, krb5_k_decrypt(c->ctx, c->key, USAGE, NULL, &c->enc, &c->out), "decrypt");
}

static void op_cold(struct bench_case *c) {
  krb5_key k;
  check(c->ctx, krb5_k_create_key(c->ctx, c->keyblock, &k), "create_key");
  c->out.length = c->plain.length;
  check(c->ctx, krb5_k_decrypt(c->ctx, k, USAGE, NULL, &c->enc, &c->out), "decrypt");
  krb5_k_free_key(c->ctx, k);
}

static void op_encrypt(struct bench_case *c) {
  krb5_enc_data e = c->enc;
  check(c->ctx, krb5_k_encrypt(c->ctx, c->key, USAGE, NULL, &c->plain, &e), "encrypt");
}

static void op_checksum(struct bench_case *c) {
  krb5_checksum ck;
  check(c->ctx, krb5_k_make_checksum(c->ctx, 0, c->key, USAGE, &c->plain, &ck), "checksum");
  krb5_free_checksum_contents(c->ctx, &ck);
}

static void op_s2k(struct bench_case *c) {
  krb5_data pw = {0, 18, "benchmark password"};
  krb5_data salt = {0, 15, "EXAMPLE.COMuser"};
  krb5_keyblock kb;
  check(c->ctx, krb5_c_string_to_key_with_params(c->ctx, c->etype, &pw, &salt, &c->params, &kb), "s2k");
  krb5_free_keyblock_contents(c->ctx, &kb);
}

/* Best of BATCHES batches, each about budget/BATCHES long, in ns per call. */
static double measure(void (*op)(struct bench_case *), struct bench_case *c, double budget_ns) {
  double best = 1e30, slice = budget_ns / BATCHES;
  long n = 1;
  for (double t0 = now_ns(); now_ns() - t0 < slice;) op(c); /* warm-up */
  for (;;) { /* calibrate n so one batch lasts about one slice */
    double t0 = now_ns();
    for (long i = 0; i < n; i++) op(c);
    double dt = now_ns() - t0;
    if (dt > slice / 4 || n > (1L << 30)) { n = (long)(n * slice / (dt > 1 ? dt : 1)) + 1; break; }
    n *= 2;
  }
  for (int b = 0; b < BATCHES; b++) {
    double t0 = now_ns();
    for (long i = 0; i < n; i++) op(c);
    double per = (now_ns() - t0) / (double)n;
    if (per < best) best = per;
  }
  return best;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: krb5-bench <ms per case> <op>:<etype>:<size> ...\n");
    return 2;
  }
  double budget_ns = atof(argv[1]) * 1e6;
  krb5_context ctx;
  check(ctx, krb5_init_context(&ctx), "init_context");
  for (int i = 2; i < argc; i++) {
    char op[16];
    int etype, size;
    if (sscanf(argv[i], "%15[a-z0-9]:%d:%d", op, &etype, &size) != 3) {
      fprintf(stderr, "krb5-bench: bad case %s\n", argv[i]);
      return 2;
    }
    struct bench_case c = {.ctx = ctx, .etype = (krb5_enctype)etype};
    void (*fn)(struct bench_case *) = NULL;
    unsigned char iter[4] = {(unsigned char)(size >> 24), (unsigned char)(size >> 16),
                             (unsigned char)(size >> 8), (unsigned char)size};
    if (strcmp(op, "s2k") == 0) {
      c.params.length = 4;
      c.params.data = (char *)iter;
      fn = op_s2k;
    } else {
      krb5_keyblock *kb;
      check(ctx, krb5_init_keyblock(ctx, c.etype, 0, &kb), "init_keyblock");
      check(ctx, krb5_c_make_random_key(ctx, c.etype, kb), "make_random_key");
      check(ctx, krb5_k_create_key(ctx, kb, &c.key), "create_key");
      c.keyblock = kb;
      c.plain.length = (unsigned)size;
      c.plain.data = calloc(1, size ? size : 1);
      for (int j = 0; j < size; j++) c.plain.data[j] = (char)(j * 7);
      size_t len;
      check(ctx, krb5_c_encrypt_length(ctx, c.etype, (size_t)size, &len), "encrypt_length");
      c.enc.ciphertext.length = (unsigned)len;
      c.enc.ciphertext.data = malloc(len);
      check(ctx, krb5_k_encrypt(ctx, c.key, USAGE, NULL, &c.plain, &c.enc), "encrypt");
      c.out.data = malloc(size ? size : 1);
      fn = strcmp(op, "decrypt") == 0 ? op_decrypt
           : strcmp(op, "encrypt") == 0 ? op_encrypt
           : strcmp(op, "checksum") == 0 ? op_checksum
           : strcmp(op, "cold") == 0 ? op_cold
           : NULL;
      if (!fn) {
        fprintf(stderr, "krb5-bench: unknown op %s\n", op);
        return 2;
      }
    }
    printf("%s %.1f\n", argv[i], measure(fn, &c, budget_ns));
    fflush(stdout);
    if (c.key) {
      krb5_k_free_key(ctx, c.key);
      krb5_free_keyblock(ctx, c.keyblock);
      free(c.plain.data);
      free(c.enc.ciphertext.data);
      free(c.out.data);
    }
  }
  krb5_free_context(ctx);
  return 0;
}
