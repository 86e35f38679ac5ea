// Binds ReadStat, the C library behind pandas' and R haven's Stata and SPSS readers
// (Debian: libreadstat-dev).
#include <readstat.h>
