// CMPI: the few MPI calls TFDistributed makes, on Open MPI loaded at run time. Not API:
// TFDistributed's ProcessGroup is the Swift face.
//
// Why dlopen, and why not link libmpi: the package (TFRecord, TensorBoard, TFCore and the
// programs) must build and run where MPI is not installed, and a plain single-process run
// must not pay for loading Open MPI. So nothing links libmpi; the library is opened only
// when a program finds itself started by mpirun (OMPI_COMM_WORLD_SIZE in its environment).
//
// The handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are Open MPI's: in its mpi.h each
// is the address of an exported global (`&ompi_mpi_comm_world`, ...), which is what dlsym
// returns. That is Open MPI's ABI (libmpi.so.40, Open MPI 3 to 5), not MPICH's.
#ifndef C_MPI_H
#define C_MPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opens libmpi and resolves the calls below. Returns 0 on success, -1 with `message`
/// (NUL-terminated, at most `capacity` bytes) saying what is missing.
int c_mpi_load(char *message, size_t capacity);

/// MPI_Init_thread(MPI_THREAD_FUNNELED), then MPI_ERRORS_RETURN on MPI_COMM_WORLD so a
/// failed call returns its code instead of aborting the job. Returns the MPI error code.
int c_mpi_init(void);
/// MPI_Finalize.
int c_mpi_finalize(void);
/// MPI_Abort(MPI_COMM_WORLD, code): ends every rank of the job.
void c_mpi_abort(int code);
/// This process's rank and the world's size.
int c_mpi_rank(int *rank);
int c_mpi_size(int *size);
/// In-place sum over all ranks of `count` floats.
int c_mpi_allreduce_sum_float(float *values, int count);
/// In-place sum over all ranks of `count` 64-bit integers.
int c_mpi_allreduce_sum_int64(int64_t *values, int count);
/// In-place maximum over all ranks of `count` 64-bit integers.
int c_mpi_allreduce_max_int64(int64_t *values, int count);
/// `count` bytes from `root` to every rank.
int c_mpi_broadcast_bytes(void *bytes, int count, int root);
/// MPI_Barrier(MPI_COMM_WORLD).
int c_mpi_barrier(void);
/// MPI's text for an error code, into `text` (at most `capacity` bytes, NUL-terminated).
void c_mpi_error_string(int code, char *text, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
