// libpq is plain C with no variadics or macros the probe needs: the header is enough.
#include <libpq-fe.h>
