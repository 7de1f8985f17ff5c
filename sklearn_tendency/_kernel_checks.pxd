# Shape checks of the kernels' entry points: a kernel reads memory through the
# shapes it is given (bounds checks are off), so mismatched arrays must stop
# here with a ValueError rather than read or write out of bounds. Each check is
# O(1), or O(length) for index arrays, next to the kernel's own cost.

cdef inline int check_shape(str name, tuple shape, tuple expected) except -1:
    """Raise ValueError unless ``shape == expected``."""
    if shape != expected:
        raise ValueError(
            f"{name} must have shape {expected}; got an array of shape {shape}."
        )
    return 0


cdef inline int check_index(str name, Py_ssize_t value, Py_ssize_t n) except -1:
    """Raise ValueError unless ``0 <= value < n``."""
    if not 0 <= value < n:
        raise ValueError(f"{name} must be in [0, {n}); got {value}.")
    return 0


cdef inline int check_indices(str name, const Py_ssize_t[::1] values, Py_ssize_t n) except -1:
    """Raise ValueError unless every entry of ``values`` is in ``[0, n)``."""
    cdef Py_ssize_t i
    for i in range(values.shape[0]):
        if not 0 <= values[i] < n:
            raise ValueError(f"{name} must hold indices in [0, {n}); got {values[i]}.")
    return 0


cdef inline int check_nonempty(str kernel, Py_ssize_t n_samples, Py_ssize_t n_features,
                               Py_ssize_t n_clusters) except -1:
    """Raise ValueError unless there is a sample, a feature and a cluster."""
    if n_samples < 1 or n_features < 1 or n_clusters < 1:
        raise ValueError(
            f"{kernel} needs at least one sample, feature and cluster; got "
            f"{n_samples} samples, {n_features} features and {n_clusters} centres."
        )
    return 0
