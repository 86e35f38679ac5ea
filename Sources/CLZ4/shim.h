// Binds LZ4's frame format, one of Arrow IPC's two buffer codecs (Debian: liblz4-dev).
#include <lz4frame.h>
