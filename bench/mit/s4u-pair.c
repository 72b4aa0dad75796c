/*
 * MIT krb5 side of bench/s4u-cpu: warm S4U2Self + S4U2Proxy pairs made by libkrb5 itself, in one process, one after
 * another, against the KDC that KRB5_CONFIG names (the lab's krb5.conf).
 * Usage: s4u-pair <keytab> <service principal> <user principal> <target principal> <warmup> <pairs>
 * The service's TGT comes from its keytab (as `kinit -k -t` would get it) into a MEMORY ccache. Each pair is
 * krb5_get_credentials_for_user (S4U2Self, the user named with its realm: an enterprise name would first cost an
 * AS-REQ to find the user's realm, s4u_creds.c s4u_identify_user) and krb5_get_credentials_for_proxy (S4U2Proxy
 * with the evidence ticket), both with KRB5_GC_NO_STORE so that no pair is answered from the ccache.
 * After the warm-up it prints "ready" and waits for a line on stdin (the caller then starts counting the KDC's
 * CPU); after the pairs it prints one JSON line: pairs, CPU ms (getrusage RUSAGE_SELF, user + sys), wall ms, and the
 * client named in the last S4U2Proxy ticket.
 */
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/*
 * Exported by libkrb5 (version krb5_3_MIT) but declared only in MIT's internal k5-int.h, which kvno includes;
 * libkrb5-dev does not ship it.
 */
krb5_error_code KRB5_CALLCONV krb5_get_credentials_for_user(krb5_context context, krb5_flags options,
                                                            krb5_ccache ccache, krb5_creds *in_creds,
                                                            krb5_data *subject_cert, krb5_creds **out_creds);
krb5_error_code KRB5_CALLCONV krb5_get_credentials_for_proxy(krb5_context context, krb5_flags options,
                                                             krb5_ccache ccache, krb5_creds *in_creds,
                                                             krb5_ticket *evidence_tkt, krb5_creds **out_creds);

static krb5_context ctx;

static void check(krb5_error_code ret, const char *what) {
  if (ret == 0) return;
  const char *msg = krb5_get_error_message(ctx, ret);
  fprintf(stderr, "s4u-pair: %s: %s\n", what, msg);
  krb5_free_error_message(ctx, msg);
  exit(1);
}

static double ms(struct timeval tv) { return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3; }

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}

static double wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct pair_setup {
  krb5_ccache cache;
  krb5_principal service;
  krb5_principal user;
  krb5_principal target;
};

/* One S4U2Self + S4U2Proxy pair; the S4U2Proxy ticket's client is returned when `client` is given. */
static void pair(const struct pair_setup *s, char **client) {
  krb5_creds in, *self = NULL, *proxy = NULL;
  krb5_ticket *evidence = NULL;

  memset(&in, 0, sizeof(in));
  in.client = s->user;
  in.server = s->service;
  check(krb5_get_credentials_for_user(ctx, KRB5_GC_NO_STORE, s->cache, &in, NULL, &self), "S4U2Self");
  /* The evidence ticket as a krb5_ticket, undecrypted: the service's key is not needed to pass it on. */
  check(krb5_decode_ticket(&self->ticket, &evidence), "decoding the evidence ticket");

  memset(&in, 0, sizeof(in));
  in.client = self->client;
  in.server = s->target;
  check(krb5_get_credentials_for_proxy(ctx, KRB5_GC_NO_STORE, s->cache, &in, evidence, &proxy), "S4U2Proxy");
  if (client != NULL) check(krb5_unparse_name(ctx, proxy->client, client), "naming the proxy ticket's client");

  krb5_free_ticket(ctx, evidence);
  krb5_free_creds(ctx, self);
  krb5_free_creds(ctx, proxy);
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: s4u-pair <keytab> <service> <user> <target> <warmup> <pairs>\n");
    return 2;
  }
  long warmup = atol(argv[5]), pairs = atol(argv[6]);
  struct pair_setup s;
  krb5_keytab keytab;
  krb5_get_init_creds_opt *opt;
  krb5_creds tgt;
  char line[16];

  check(krb5_init_context(&ctx), "krb5_init_context");
  check(krb5_kt_resolve(ctx, argv[1], &keytab), "opening the keytab");
  check(krb5_parse_name(ctx, argv[2], &s.service), "parsing the service");
  /* Not KRB5_PRINCIPAL_PARSE_ENTERPRISE (what `kvno -U` does): see the header. */
  check(krb5_parse_name(ctx, argv[3], &s.user), "parsing the user");
  check(krb5_parse_name(ctx, argv[4], &s.target), "parsing the target");

  /* The service's TGT, forwardable (S4U2Proxy needs a forwardable evidence ticket), as kinit -k -t gets it. */
  check(krb5_get_init_creds_opt_alloc(ctx, &opt), "krb5_get_init_creds_opt_alloc");
  krb5_get_init_creds_opt_set_forwardable(opt, 1);
  memset(&tgt, 0, sizeof(tgt));
  check(krb5_get_init_creds_keytab(ctx, &tgt, s.service, keytab, 0, NULL, opt), "getting the service's TGT");
  check(krb5_cc_new_unique(ctx, "MEMORY", NULL, &s.cache), "making the MEMORY ccache");
  check(krb5_cc_initialize(ctx, s.cache, s.service), "initializing the ccache");
  check(krb5_cc_store_cred(ctx, s.cache, &tgt), "storing the TGT");
  krb5_free_cred_contents(ctx, &tgt);
  krb5_get_init_creds_opt_free(ctx, opt);

  for (long i = 0; i < warmup; i++) pair(&s, NULL);
  printf("ready\n");
  fflush(stdout);
  if (fgets(line, sizeof(line), stdin) == NULL) return 1;

  char *client = NULL;
  double cpu0 = cpu_ms(), wall0 = wall_ms();
  for (long i = 0; i < pairs; i++) pair(&s, i == pairs - 1 ? &client : NULL);
  double cpu = cpu_ms() - cpu0, wall = wall_ms() - wall0;

  printf("{\"pairs\":%ld,\"cpuMs\":%.3f,\"wallMs\":%.3f,\"client\":\"%s\"}\n", pairs, cpu, wall,
         client != NULL ? client : "");
  krb5_free_unparsed_name(ctx, client);
  krb5_cc_destroy(ctx, s.cache);
  krb5_free_principal(ctx, s.service);
  krb5_free_principal(ctx, s.user);
  krb5_free_principal(ctx, s.target);
  krb5_kt_close(ctx, keytab);
  krb5_free_context(ctx);
  return 0;
}
