// Binds OpenBLAS's CBLAS and the LAPACKE C interface (Debian: libopenblas-dev, liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>
// OpenBLAS extension: BLAS threads must be limited inside Dispatch workers.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
// glibc's allocator settings (mallopt), tuned once by the command line: see ProcessSetup.swift.
#ifdef __linux__
#include <malloc.h>
#endif
