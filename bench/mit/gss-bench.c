/*
 * MIT side of bench/gss-vs-mit: times MIT's own GSS-API krb5 mechanism on the ticket and keytab that
 * bench/gss-vs-mit.ts wrote (the same fixture tickets as bench/gss.bench.ts, valid at the real time).
 * Usage: gss-bench <dir> <ms per case> <case> ...   with <dir> holding krb5.conf, keytab and cc-<etype>, cases:
 *   init:<etype>             gss_init_sec_context (mutual, seq, replay, conf, integ) + gss_delete_sec_context,
 *                            credential acquired once from a MEMORY ccache (no file read per call)
 *   accept:<etype>:<rcache>  gss_accept_sec_context of a fresh initiator token + gss_delete_sec_context, acceptor
 *                            credential acquired once for the service name; <rcache>: dfl (as configured), shm
 *                            (file2 on tmpfs, the closest MIT has to a memory cache) or none. Token making untimed.
 *   wrap:<etype>             gss_wrap (conf) + gss_unwrap of 1 KiB, initiator to acceptor
 * Prints one line per case: "<case> <best ns per call>"; for accept also "<case>:replay refused|accepted".
 */
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 15
#define SERVICE "HTTP/api.gss.test@GSS.TEST"
#define FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void gss_check(OM_uint32 major, OM_uint32 minor, const char *what) {
  if (!GSS_ERROR(major)) return;
  OM_uint32 m, ctx = 0;
  gss_buffer_desc text;
  fprintf(stderr, "gss-bench: %s:", what);
  do {
    gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text);
    fprintf(stderr, " %.*s;", (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
  } while (ctx != 0);
  do {
    gss_display_status(&m, minor, GSS_C_MECH_CODE, (gss_OID)gss_mech_krb5, &ctx, &text);
    fprintf(stderr, " %.*s;", (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
  } while (ctx != 0);
  fprintf(stderr, "\n");
  exit(1);
}

static void krb_check(krb5_context ctx, krb5_error_code ret, const char *what) {
  if (ret == 0) return;
  const char *msg = krb5_get_error_message(ctx, ret);
  fprintf(stderr, "gss-bench: %s: %s\n", what, msg);
  krb5_free_error_message(ctx, msg);
  exit(1);
}

struct bench {
  gss_cred_id_t init_cred;
  gss_cred_id_t accept_cred;
  gss_name_t target;
  gss_ctx_id_t ictx, actx; /* an established pair for wrap */
  gss_buffer_desc message;
};

/* One initiator token (the context is kept by the caller or deleted). */
static gss_ctx_id_t make_token(struct bench *b, gss_buffer_t token) {
  OM_uint32 minor, major;
  gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
  major = gss_init_sec_context(&minor, b->init_cred, &ctx, b->target, (gss_OID)gss_mech_krb5, FLAGS, 0,
                               GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, token, NULL, NULL);
  gss_check(major, minor, "gss_init_sec_context");
  return ctx;
}

static OM_uint32 accept_token(struct bench *b, gss_buffer_t token, gss_ctx_id_t *actx, gss_buffer_t out) {
  OM_uint32 minor;
  return gss_accept_sec_context(&minor, actx, b->accept_cred, token, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, out,
                                NULL, NULL, NULL);
}

static void op_init(struct bench *b) {
  OM_uint32 minor;
  gss_buffer_desc token;
  gss_ctx_id_t ctx = make_token(b, &token);
  gss_release_buffer(&minor, &token);
  gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
}

static void op_wrap(struct bench *b) {
  OM_uint32 minor, major;
  gss_buffer_desc wrapped, plain;
  int conf = 0;
  major = gss_wrap(&minor, b->ictx, 1, GSS_C_QOP_DEFAULT, &b->message, &conf, &wrapped);
  gss_check(major, minor, "gss_wrap");
  major = gss_unwrap(&minor, b->actx, &wrapped, &plain, &conf, NULL);
  gss_check(major, minor, "gss_unwrap");
  gss_release_buffer(&minor, &wrapped);
  gss_release_buffer(&minor, &plain);
}

/* ns of one accept of a fresh token; making the token and freeing the initiator side are not timed. */
static double timed_accept(struct bench *b) {
  OM_uint32 minor, major;
  gss_buffer_desc token, out = GSS_C_EMPTY_BUFFER;
  gss_ctx_id_t ictx = make_token(b, &token), actx = GSS_C_NO_CONTEXT;
  double t0 = now_ns();
  major = accept_token(b, &token, &actx, &out);
  gss_release_buffer(&minor, &out);
  gss_delete_sec_context(&minor, &actx, GSS_C_NO_BUFFER);
  double dt = now_ns() - t0;
  gss_check(major, minor, "gss_accept_sec_context");
  gss_release_buffer(&minor, &token);
  gss_delete_sec_context(&minor, &ictx, GSS_C_NO_BUFFER);
  return dt;
}

/* Best of BATCHES batches, each about budget/BATCHES long, in ns per call. */
static double measure(void (*op)(struct bench *), struct bench *b, double budget_ns) {
  double best = 1e30, slice = budget_ns / BATCHES;
  long n = 1;
  for (double t0 = now_ns(); now_ns() - t0 < slice;) op(b); /* warm-up */
  for (;;) {
    double t0 = now_ns();
    for (long i = 0; i < n; i++) op(b);
    double dt = now_ns() - t0;
    if (dt > slice / 4 || n > (1L << 30)) { n = (long)(n * slice / (dt > 1 ? dt : 1)) + 1; break; }
    n *= 2;
  }
  for (int k = 0; k < BATCHES; k++) {
    double t0 = now_ns();
    for (long i = 0; i < n; i++) op(b);
    double per = (now_ns() - t0) / (double)n;
    if (per < best) best = per;
  }
  return best;
}

/* As measure, for accept: sums the timed part of each call only. */
static double measure_accept(struct bench *b, double budget_ns) {
  double best = 1e30, per_call = 0, slice = budget_ns / BATCHES;
  long warm = 0;
  for (double t0 = now_ns(); now_ns() - t0 < slice; warm++) per_call = timed_accept(b);
  long n = (long)(slice / (per_call > 1 ? per_call : 1)) / 3 + 1; /* token making costs about twice an accept */
  for (int k = 0; k < BATCHES; k++) {
    double sum = 0;
    for (long i = 0; i < n; i++) sum += timed_accept(b);
    if (sum / (double)n < best) best = sum / (double)n;
  }
  return best;
}

static void acquire_acceptor(struct bench *b) {
  OM_uint32 minor, major;
  gss_buffer_desc name = {strlen(SERVICE), SERVICE};
  gss_name_t service;
  major = gss_import_name(&minor, &name, (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME, &service);
  gss_check(major, minor, "gss_import_name (acceptor)");
  if (b->accept_cred != GSS_C_NO_CREDENTIAL) gss_release_cred(&minor, &b->accept_cred);
  major = gss_acquire_cred(&minor, service, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_ACCEPT, &b->accept_cred, NULL,
                           NULL);
  gss_check(major, minor, "gss_acquire_cred (acceptor)");
  gss_release_name(&minor, &service);
}

/* Initiator credential: the FILE ccache's entries copied into a MEMORY ccache, imported once. */
static void acquire_initiator(krb5_context kctx, struct bench *b, const char *dir, int etype) {
  OM_uint32 minor, major;
  char path[4096];
  krb5_ccache file, mem;
  krb5_principal client;
  snprintf(path, sizeof path, "FILE:%s/cc-%d", dir, etype);
  krb_check(kctx, krb5_cc_resolve(kctx, path, &file), "cc_resolve file");
  snprintf(path, sizeof path, "MEMORY:gss-bench-%d", etype);
  krb_check(kctx, krb5_cc_resolve(kctx, path, &mem), "cc_resolve memory");
  krb_check(kctx, krb5_cc_get_principal(kctx, file, &client), "cc_get_principal");
  krb_check(kctx, krb5_cc_initialize(kctx, mem, client), "cc_initialize");
  krb_check(kctx, krb5_cc_copy_creds(kctx, file, mem), "cc_copy_creds");
  krb5_free_principal(kctx, client);
  krb5_cc_close(kctx, file);
  if (b->init_cred != GSS_C_NO_CREDENTIAL) gss_release_cred(&minor, &b->init_cred);
  major = gss_krb5_import_cred(&minor, mem, NULL, NULL, &b->init_cred);
  gss_check(major, minor, "gss_krb5_import_cred");
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: gss-bench <dir> <ms per case> <case> ...\n");
    return 2;
  }
  const char *dir = argv[1];
  double budget_ns = atof(argv[2]) * 1e6;
  char path[4096], shm[4096];
  snprintf(path, sizeof path, "%s/krb5.conf", dir);
  setenv("KRB5_CONFIG", path, 1);
  snprintf(path, sizeof path, "FILE:%s/keytab", dir);
  setenv("KRB5_KTNAME", path, 1);
  snprintf(shm, sizeof shm, "file2:/dev/shm/gss-bench-%d.rcache2", (int)getpid());
  krb5_context kctx;
  krb_check(kctx, krb5_init_context(&kctx), "init_context");
  struct bench b = {GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, GSS_C_NO_NAME, GSS_C_NO_CONTEXT, GSS_C_NO_CONTEXT};
  OM_uint32 minor, major;
  gss_buffer_desc name = {strlen(SERVICE), SERVICE};
  major = gss_import_name(&minor, &name, (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME, &b.target);
  gss_check(major, minor, "gss_import_name");
  b.message.length = 1024;
  b.message.value = malloc(1024);
  memset(b.message.value, 0x5a, 1024);

  for (int i = 3; i < argc; i++) {
    char op[16], rc[16] = "dfl";
    int etype;
    if (sscanf(argv[i], "%15[a-z]:%d:%15[a-z0-9]", op, &etype, rc) < 2) {
      fprintf(stderr, "gss-bench: bad case %s\n", argv[i]);
      return 2;
    }
    acquire_initiator(kctx, &b, dir, etype);
    if (strcmp(op, "init") == 0) {
      printf("%s %.1f\n", argv[i], measure(op_init, &b, budget_ns));
    } else if (strcmp(op, "accept") == 0) {
      if (strcmp(rc, "dfl") == 0) unsetenv("KRB5RCACHENAME");
      else setenv("KRB5RCACHENAME", strcmp(rc, "shm") == 0 ? shm : "none:", 1);
      acquire_acceptor(&b);
      printf("%s %.1f\n", argv[i], measure_accept(&b, budget_ns));
      /* Is the replay cache on? The same token twice. */
      gss_buffer_desc token, out = GSS_C_EMPTY_BUFFER;
      gss_ctx_id_t ictx = make_token(&b, &token), a1 = GSS_C_NO_CONTEXT, a2 = GSS_C_NO_CONTEXT;
      gss_check(accept_token(&b, &token, &a1, &out), 0, "gss_accept_sec_context (first)");
      gss_release_buffer(&minor, &out);
      major = accept_token(&b, &token, &a2, &out);
      printf("%s:replay %s\n", argv[i], major == GSS_S_COMPLETE ? "accepted" : "refused");
      gss_release_buffer(&minor, &out);
      gss_release_buffer(&minor, &token);
      gss_delete_sec_context(&minor, &a1, GSS_C_NO_BUFFER);
      gss_delete_sec_context(&minor, &a2, GSS_C_NO_BUFFER);
      gss_delete_sec_context(&minor, &ictx, GSS_C_NO_BUFFER);
    } else if (strcmp(op, "wrap") == 0) {
      unsetenv("KRB5RCACHENAME");
      acquire_acceptor(&b);
      gss_buffer_desc token, out = GSS_C_EMPTY_BUFFER;
      b.ictx = make_token(&b, &token);
      gss_check(accept_token(&b, &token, &b.actx, &out), 0, "gss_accept_sec_context (wrap)");
      major = gss_init_sec_context(&minor, b.init_cred, &b.ictx, b.target, (gss_OID)gss_mech_krb5, FLAGS, 0,
                                   GSS_C_NO_CHANNEL_BINDINGS, &out, NULL, &token, NULL, NULL);
      gss_check(major, minor, "gss_init_sec_context (AP-REP)");
      printf("%s %.1f\n", argv[i], measure(op_wrap, &b, budget_ns));
      gss_delete_sec_context(&minor, &b.ictx, GSS_C_NO_BUFFER);
      gss_delete_sec_context(&minor, &b.actx, GSS_C_NO_BUFFER);
    } else {
      fprintf(stderr, "gss-bench: unknown op %s\n", op);
      return 2;
    }
    fflush(stdout);
  }
  snprintf(path, sizeof path, "%s", shm + strlen("file2:"));
  unlink(path);
  return 0;
}
