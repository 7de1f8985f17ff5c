# The C of the dense k-means passes (_k_means_lloyd.h), declared once for the
# kernels that call it: the Lloyd pass (_k_means_lloyd) and the Hamerly pass
# (_k_means_hamerly) fill distance rows and add samples to their clusters'
# sums with the same loops, hence the same bits.

cdef extern from "_k_means_lloyd.h":
    # The loops of the assignment step that follow each GEMM call, in C so
    # that the compiler sees restrict pointers and constant widths.
    void skt_fill_rows_f(float *D, const float *cn, int nr, int k) noexcept nogil
    void skt_fill_rows_d(double *D, const double *cn, int nr, int k) noexcept nogil
    void skt_rows_f(const float *D, int nr, int k, int d, const float *X, const float *w,
                    int *labels, float *sums, float *weights, bint two_pass, bint update,
                    bint unit, bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    void skt_rows_d(const double *D, int nr, int k, int d, const double *X, const double *w,
                    int *labels, double *sums, double *weights, bint two_pass, bint update,
                    bint unit, bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    bint skt_use_two_pass_argmin(int k) noexcept nogil
    void skt_add_to_cluster_f(const float *x, int l, float w, bint unit, float *sums,
                              float *weights, int d) noexcept nogil
    void skt_add_to_cluster_d(const double *x, int l, double w, bint unit, double *sums,
                              double *weights, int d) noexcept nogil
    void skt_accumulate_f(int nr, int d, const float *X, const float *w, const int *labels,
                          float *sums, float *weights, bint unit) noexcept nogil
    void skt_accumulate_d(int nr, int d, const double *X, const double *w, const int *labels,
                          double *sums, double *weights, bint unit) noexcept nogil
    # The threads' help with each other's chunks.
    enum:
        SKT_CHUNK_FREE
        SKT_CHUNK_HELPED
        SKT_CHUNK_DONE
        SKT_CHUNK_OWNED
        SKT_HAVE_HELP
    bint skt_chunk_claim(int *state, int as_) noexcept nogil
    int skt_chunk_state(int *state) noexcept nogil
    void skt_chunk_done(int *state) noexcept nogil
    void skt_chunk_wait(int *state) noexcept nogil
    double skt_centre_row_f(const float *x, const float *mean, float *out, int d) noexcept nogil
    double skt_centre_row_d(const double *x, const double *mean, double *out, int d) noexcept nogil
    # The clocks of the thread choice: -1 where the platform has none.
    enum:
        SKT_THREAD_CPU_CLOCK
        SKT_WALL_CLOCK
    double skt_clock_seconds(int which) noexcept nogil
