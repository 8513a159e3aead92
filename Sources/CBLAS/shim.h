// OpenBLAS's CBLAS interface, from Debian's libopenblas-dev: cblas_sgemm and
// openblas_set_num_threads.
#include <cblas.h>
