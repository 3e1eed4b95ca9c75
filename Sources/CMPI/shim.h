#ifndef SE3_CMPI_SHIM_H
#define SE3_CMPI_SHIM_H
#include <mpi.h>

/* Macros Swift cannot import, wrapped as functions. */
static inline MPI_Comm se3_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype se3_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype se3_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype se3_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype se3_mpi_int32(void) { return MPI_INT; }
static inline MPI_Datatype se3_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op se3_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op se3_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op se3_mpi_min(void) { return MPI_MIN; }
static inline void *se3_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int se3_mpi_success(void) { return MPI_SUCCESS; }
static inline int se3_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline MPI_Errhandler se3_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int se3_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline MPI_Request se3_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *se3_mpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
#endif
