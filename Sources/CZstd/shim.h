// Binds Zstandard, Arrow IPC's other buffer codec (Debian: libzstd-dev).
#include <zstd.h>
