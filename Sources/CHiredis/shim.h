// hiredis 0.14.1. The probe uses its RESP encoder (redisFormatCommandArgv) and reply
// reader (redisReader*) only, over a socket it owns, so that TLS and deadlines are ours.
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
