/* The same header test compiled as C++11 (see headertest.c for what it checks). */
#include "headertest.c"
