// OpenSSL 3.0. SHA256() and HMAC() are plain functions; the SSL_* calls below are macros
// over SSL_ctrl/SSL_CTX_ctrl, which Swift cannot see, so each gets a wrapper.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

static inline long envcheck_SSL_set_tlsext_host_name(SSL *s, const char *name) { return SSL_set_tlsext_host_name(s, name); }
static inline long envcheck_SSL_CTX_set_min_proto_version(SSL_CTX *c, int v) { return SSL_CTX_set_min_proto_version(c, v); }
