// Open MPI through dlopen: see CMPI.h for why.
#include "CMPI.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

// Open MPI's handles are pointers to its predefined objects; the calls only pass them on.
typedef void *c_mpi_handle;

// Open MPI's values (mpi.h): MPI_IN_PLACE is (void *) 1, MPI_THREAD_FUNNELED is 1,
// MPI_MAX_ERROR_STRING is 256.
#define C_MPI_IN_PLACE ((void *)1)
#define C_MPI_THREAD_FUNNELED 1
#define C_MPI_MAX_ERROR_STRING 256

static struct {
    int (*init_thread)(int *, char ***, int, int *);
    int (*finalize)(void);
    int (*abort)(c_mpi_handle, int);
    int (*comm_rank)(c_mpi_handle, int *);
    int (*comm_size)(c_mpi_handle, int *);
    int (*comm_set_errhandler)(c_mpi_handle, c_mpi_handle);
    int (*allreduce)(const void *, void *, int, c_mpi_handle, c_mpi_handle, c_mpi_handle);
    int (*bcast)(void *, int, c_mpi_handle, int, c_mpi_handle);
    int (*barrier)(c_mpi_handle);
    int (*error_string)(int, char *, int *);
    c_mpi_handle comm_world, type_float, type_int64, type_byte, op_sum, op_max, errors_return;
} mpi;

static int resolve(void *library, const char *name, void **slot, char *message, size_t capacity) {
    *slot = dlsym(library, name);
    if (*slot == NULL) {
        snprintf(message, capacity, "libmpi has no symbol %s: it is not Open MPI 3 to 5; install Debian's openmpi-bin and libopenmpi3", name);
        return -1;
    }
    return 0;
}

int c_mpi_load(char *message, size_t capacity) {
    if (mpi.allreduce != NULL) return 0;
    // RTLD_GLOBAL: Open MPI's own plugins, which it dlopens, resolve libmpi's symbols.
    void *library = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
    if (library == NULL) library = dlopen("libmpi.so", RTLD_NOW | RTLD_GLOBAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(message, capacity, "cannot load Open MPI's libmpi.so.40 (%s); install it with `apt-get install openmpi-bin`",
                 reason ? reason : "not found");
        return -1;
    }
    struct { const char *name; void **slot; } symbols[] = {
        {"MPI_Init_thread", (void **)&mpi.init_thread},
        {"MPI_Finalize", (void **)&mpi.finalize},
        {"MPI_Abort", (void **)&mpi.abort},
        {"MPI_Comm_rank", (void **)&mpi.comm_rank},
        {"MPI_Comm_size", (void **)&mpi.comm_size},
        {"MPI_Comm_set_errhandler", (void **)&mpi.comm_set_errhandler},
        {"MPI_Bcast", (void **)&mpi.bcast},
        {"MPI_Barrier", (void **)&mpi.barrier},
        {"MPI_Error_string", (void **)&mpi.error_string},
        {"ompi_mpi_comm_world", &mpi.comm_world},
        {"ompi_mpi_float", &mpi.type_float},
        {"ompi_mpi_int64_t", &mpi.type_int64},
        {"ompi_mpi_byte", &mpi.type_byte},
        {"ompi_mpi_op_sum", &mpi.op_sum},
        {"ompi_mpi_op_max", &mpi.op_max},
        {"ompi_mpi_errors_return", &mpi.errors_return},
        // Last: its being set means everything is.
        {"MPI_Allreduce", (void **)&mpi.allreduce},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        if (resolve(library, symbols[i].name, symbols[i].slot, message, capacity) != 0) {
            mpi.allreduce = NULL;
            return -1;
        }
    }
    return 0;
}

int c_mpi_init(void) {
    int provided = 0;
    int code = mpi.init_thread(NULL, NULL, C_MPI_THREAD_FUNNELED, &provided);
    if (code != 0) return code;
    return mpi.comm_set_errhandler(mpi.comm_world, mpi.errors_return);
}

int c_mpi_finalize(void) { return mpi.finalize(); }

void c_mpi_abort(int code) { mpi.abort(mpi.comm_world, code); }

int c_mpi_rank(int *rank) { return mpi.comm_rank(mpi.comm_world, rank); }

int c_mpi_size(int *size) { return mpi.comm_size(mpi.comm_world, size); }

int c_mpi_allreduce_sum_float(float *values, int count) {
    return mpi.allreduce(C_MPI_IN_PLACE, values, count, mpi.type_float, mpi.op_sum, mpi.comm_world);
}

int c_mpi_allreduce_sum_int64(int64_t *values, int count) {
    return mpi.allreduce(C_MPI_IN_PLACE, values, count, mpi.type_int64, mpi.op_sum, mpi.comm_world);
}

int c_mpi_allreduce_max_int64(int64_t *values, int count) {
    return mpi.allreduce(C_MPI_IN_PLACE, values, count, mpi.type_int64, mpi.op_max, mpi.comm_world);
}

int c_mpi_broadcast_bytes(void *bytes, int count, int root) {
    return mpi.bcast(bytes, count, mpi.type_byte, root, mpi.comm_world);
}

int c_mpi_barrier(void) { return mpi.barrier(mpi.comm_world); }

void c_mpi_error_string(int code, char *text, size_t capacity) {
    char buffer[C_MPI_MAX_ERROR_STRING + 1] = {0};
    int length = 0;
    if (mpi.error_string == NULL || mpi.error_string(code, buffer, &length) != 0) {
        snprintf(text, capacity, "MPI error %d", code);
        return;
    }
    snprintf(text, capacity, "%s", buffer);
}
