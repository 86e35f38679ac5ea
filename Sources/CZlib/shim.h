// Binds zlib for gzip-compressed CSV (Debian: zlib1g-dev).
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call: this wraps it. 16 + MAX_WBITS accepts the
// gzip wrapper only, so a file that is not gzip fails on its first bytes.
static inline int quipu_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
