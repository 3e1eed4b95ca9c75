#ifndef SE3_CBLAS_SHIM_H
#define SE3_CBLAS_SHIM_H
#include <cblas.h>
/* Thread control is exposed by OpenBLAS itself (openblas_set_num_threads). */
#endif
