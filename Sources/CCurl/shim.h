// libcurl's setopt/getinfo are variadic, which Swift cannot call: one typed wrapper per
// argument type the HTTP layer passes.
#include <curl/curl.h>

static inline CURLcode envcheck_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode envcheck_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode envcheck_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode envcheck_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode envcheck_curl_setopt_offset(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*envcheck_curl_data_cb)(char *, size_t, size_t, void *);
static inline CURLcode envcheck_curl_setopt_data_cb(CURL *h, CURLoption o, envcheck_curl_data_cb v) { return curl_easy_setopt(h, o, v); }
typedef int (*envcheck_curl_debug_cb)(CURL *, curl_infotype, char *, size_t, void *);
static inline CURLcode envcheck_curl_setopt_debug_cb(CURL *h, CURLoption o, envcheck_curl_debug_cb v) { return curl_easy_setopt(h, o, v); }
typedef CURLcode (*envcheck_curl_ssl_ctx_cb)(CURL *, void *, void *);
static inline CURLcode envcheck_curl_setopt_ssl_ctx_cb(CURL *h, CURLoption o, envcheck_curl_ssl_ctx_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode envcheck_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode envcheck_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode envcheck_curl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode envcheck_curl_getinfo_offset(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
// The OpenSSL `SSL *` of the transfer's TLS connection (CURLINFO_TLS_SSL_PTR), NULL without
// one; valid only while the transfer runs, so it is read from a callback.
static inline void *envcheck_curl_tls_ssl(CURL *h) {
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(h, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info || info->backend != CURLSSLBACKEND_OPENSSL) return NULL;
    return info->internals;
}
