"""Bad-input sweep (issue 13): every public name on a catalogue of bad inputs.

All calls run in child interpreters, so a segfault or an abort fails a test
instead of killing pytest. One child runs the calls one after another and
prints a line before and after each; when a child dies from a signal (or
hangs), the last call it started names the entry point and the input, and a
new child resumes after it. Each call must return, or raise a ValueError or
TypeError (scikit-learn's InvalidParameterError and NotFittedError are
both); numpy's LinAlgError, although a ValueError, is a leak from inside, not
an answer. Every argument is hashed before and after the call: inputs are
never modified.

The test of each entry point reports the inputs tried (``pytest -rP`` shows
the table); ``python tests/test_bad_input.py`` prints the whole sweep.
"""

import hashlib
import json
import os
import pickle
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest
from scipy import sparse

HERE = os.path.abspath(__file__)
# A call that has not returned after this long is reported as hung (the
# child dumps its stack and exits).
CALL_TIMEOUT = 60

# --- The catalogue ------------------------------------------------------------


def _X_cases():
    rng = np.random.RandomState(0)
    good = rng.rand(20, 3)
    nan = good.copy()
    nan[3, 1] = np.nan
    inf = good.copy()
    inf[5, 0] = np.inf
    ninf = good.copy()
    ninf[0, 2] = -np.inf
    obj = good.astype(object)
    obj[0, 0] = "a"
    csr_dup = sparse.csr_matrix(
        (np.array([1.0, 2.0, 3.0, 4.0, 0.5, 1.5]), np.array([0, 0, 1, 1, 2, 0]), np.array([0, 2, 4, 5, 6])),
        shape=(4, 3),
    )
    big_idx = sparse.csr_matrix(good)
    big_idx.indices = big_idx.indices.astype(np.int64)
    big_idx.indptr = big_idx.indptr.astype(np.int64)
    return {
        "nan": nan,
        "inf": inf,
        "-inf": ninf,
        "empty (0, 3)": np.zeros((0, 3)),
        "no features (20, 0)": np.zeros((20, 0)),
        "one sample": good[:1],
        "two samples": good[:2],
        "three samples": good[:3],
        "1-d": good[:, 0],
        "3-d": good.reshape(4, 5, 3),
        "scalar": np.float64(3.0),
        "None": None,
        "object with a string": obj,
        "strings": np.array([["a", "b", "c"]] * 20),
        "complex": good + 1j,
        "bool": good > 0.5,
        "int8": (good * 100).astype(np.int8),
        "uint64": (good * 100).astype(np.uint64),
        "float16": good.astype(np.float16),
        "float32": good.astype(np.float32),
        "huge 1e300": good * 1e300,
        "tiny 1e-300": good * 1e-300,
        "beyond float32 1e39": good * 1e39,
        "constant": np.ones((20, 3)),
        "all duplicates of two points": np.repeat(good[:2], 10, axis=0),
        "far from origin 1e8": good + 1e8,
        "Fortran order": np.asfortranarray(good),
        "non-contiguous view": np.c_[good, good][::1, ::2],
        "read-only": np.require(good, requirements="W").copy(),
        "ragged list": [[0.0, 1.0], [2.0]],
        "list of lists": good.tolist(),
        "csr": sparse.csr_matrix(good),
        "csr with duplicate entries": csr_dup,
        "csr with int64 indices": big_idx,
        "coo": sparse.coo_matrix(good),
        "csc": sparse.csc_matrix(good),
        "sparse with nan": sparse.csr_matrix(nan),
    }


def _D_cases():
    rng = np.random.RandomState(1)
    Y = rng.rand(8, 2)
    D = np.sqrt(((Y[:, None] - Y[None]) ** 2).sum(-1))
    asym = D.copy()
    asym[0, 1] += 1.0
    neg = D.copy()
    neg[0, 1] = neg[1, 0] = -1.0
    diag = D.copy()
    diag[3, 3] = 2.0
    nan = D.copy()
    nan[2, 4] = nan[4, 2] = np.nan
    inf = D.copy()
    inf[2, 4] = inf[4, 2] = np.inf
    big = np.zeros((16, 16))
    big[:8, :8] = D
    return {
        "precomputed ok": D,
        "precomputed non-square": D[:, :5],
        "precomputed asymmetric": asym,
        "precomputed negative": neg,
        "precomputed non-zero diagonal": diag,
        "precomputed nan": nan,
        "precomputed inf": inf,
        "precomputed 1x1": np.zeros((1, 1)),
        "precomputed all zero": np.zeros((6, 6)),
        "precomputed non-contiguous view": big[::2, ::2] + big[::2, ::2].T,
        "precomputed sparse": sparse.csr_matrix(D),
        "precomputed int": np.round(D * 10).astype(int),
    }


def _w_cases():
    w = np.r_[0.0, np.random.RandomState(2).rand(19)]
    return {
        "cut weights nan": np.r_[0.0, np.nan, w[2:]],
        "cut weights inf": np.r_[0.0, np.inf, w[2:]],
        "cut weights negative": -w,
        "cut weights 2-d": w.reshape(4, 5),
        "cut weights empty": np.zeros(0),
        "cut weights one": np.zeros(1),
        "cut weights scalar 3.0": 3.0,
        "cut weights strings": np.array(["a"] * 20),
        "cut weights complex": w + 1j,
        "cut weights None": None,
        "cut weights huge": w * 1e308,
        "cut weights list": w.tolist(),
    }


# n_jobs=100_000 exhausts the child's threads, which poisons every later call
# of the batch: tests/test_reliability.py runs it alone (item 2).
N_JOBS = {
    "n_jobs=0": 0,
    "n_jobs=1000": 1000,
    "n_jobs=2**31": 2**31,
    "n_jobs='2'": "2",
    "n_jobs=True": True,
    "n_jobs=-1000": -1000,
    "n_jobs=1.5": 1.5,
    "n_jobs=nan": float("nan"),
}
SAMPLE_SIZE = {
    "sample_size=True": True,
    "sample_size=0": 0,
    "sample_size=-1": -1,
    "sample_size=1.5": 1.5,
    "sample_size=nan": float("nan"),
    "sample_size=10**9": 10**9,
    "sample_size='a'": "a",
    "sample_size=0.0": 0.0,
    "sample_size=1": 1,
}
RANDOM_STATE = {"random_state='x'": "x", "random_state=-1": -1, "random_state=2**40": 2**40}
METRIC = {
    "metric='nope'": "nope",
    "metric=3": 3,
    "metric=None": None,
    "metric=lambda nan": lambda a, b: float("nan"),
    "metric=lambda negative": lambda a, b: -1.0,
}


def _params(base, **groups):
    """Cases "name=value" -> kwargs, merging groups of parameter values."""
    out = {}
    for group in groups.values():
        for name, value in group.items():
            out[name] = {name.split("=")[0]: value}
    return out


def _simple(name, values):
    return {f"{name}={v!r}": v for v in values}


def _entry_points():
    """name -> {case: thunk returning (callable, args, kwargs)} for each public name."""
    from sklearn.cluster import KMeans

    import sklearn_tendency as st

    X_cases, D_cases, w_cases = _X_cases(), _D_cases(), _w_cases()
    rng = np.random.RandomState(3)
    good = rng.rand(20, 3)
    y = (good[:, 0] > 0.5).astype(int)
    w = st.vat_order(good)[1]
    order = np.arange(20)
    eps = {}

    def add(entry, case, func, *args, **kwargs):
        eps.setdefault(entry, {})[case] = (func, args, kwargs)

    def data_entry(entry, func, *, precomputed=True, params=None, **fixed):
        for case, X in X_cases.items():
            add(entry, f"X={case}", func, X, **fixed)
        if precomputed:
            for case, D in D_cases.items():
                add(entry, case, func, D, metric="precomputed", **fixed)
        for case, kw in (params or {}).items():
            add(entry, case, func, good, **{**fixed, **kw})

    # VAT and IVAT: fit, fit_transform, transform after fit.
    for Est in (st.VAT, st.IVAT):
        name = Est.__name__
        fit = lambda X, _E=Est, **kw: _E(**kw).fit(X)  # noqa: E731
        fit_transform = lambda X, _E=Est, **kw: _E(**kw).fit_transform(X)  # noqa: E731
        data_entry(
            name,
            fit,
            params={
                **_params(
                    None, n_jobs=N_JOBS, sample_size=SAMPLE_SIZE, metric=METRIC, random_state=RANDOM_STATE
                ),
                **{k: {"n_clusters": v} for k, v in _simple("n_clusters", [0, True, -1, 1.5, 10**6]).items()},
                **{k: {"algorithm": v} for k, v in _simple("algorithm", ["x", "delaunay", None]).items()},
                **{
                    k: {"metric_params": v}
                    for k, v in _simple("metric_params", [{"p": -1}, {"nope": 1}, 3]).items()
                },
                **{k: {"verbose": v} for k, v in _simple("verbose", [-1, "x"]).items()},
            },
        )
        for case, X in X_cases.items():
            add(name, f"fit_transform X={case}", fit_transform, X)
        fitted = Est().fit(good)
        add(name, "transform with other features", fitted.transform, good[:, :2])
        add(name, "transform nan", fitted.transform, X_cases["nan"])
        add(
            name,
            "fit_transform algorithm=delaunay 5 features",
            fit_transform,
            rng.rand(30, 5),
            algorithm="delaunay",
        )

    for name, func in (("vat_order", st.vat_order), ("vat", st.vat), ("ivat", st.ivat)):
        extra = (
            {k: {"algorithm": v} for k, v in _simple("algorithm", ["x", "delaunay"]).items()}
            if name == "vat_order"
            else {}
        )
        data_entry(
            name,
            func,
            params={
                **_params(None, n_jobs=N_JOBS, metric=METRIC),
                **extra,
                **{k: {"metric_params": v} for k, v in _simple("metric_params", [{"nope": 1}, 3]).items()},
            },
        )

    # Statistics.
    for name in (
        "hopkins_test",
        "hopkins",
        "hopkins_both",
        "gaussian_hopkins_test",
        "rank_hopkins_test",
        "cluster_tendency_test",
        "dip_test",
        "vat_gap",
        "assess_tendency",
    ):
        func = getattr(st, name)
        params = {}
        import inspect

        sig = inspect.signature(func).parameters
        if "n_jobs" in sig:
            params.update(_params(None, n_jobs=N_JOBS))
        if "sample_size" in sig:
            params.update(_params(None, sample_size=SAMPLE_SIZE))
        if "random_state" in sig:
            params.update(_params(None, random_state=RANDOM_STATE))
        if "metric" in sig:
            params.update(
                _params(
                    None,
                    metric={"metric='nope'": "nope", "metric=3": 3, "metric='precomputed'": "precomputed"},
                )
            )
        if "n_simulations" in sig:
            params.update(
                {k: {"n_simulations": v} for k, v in _simple("n_simulations", [-1, True, 1.5, "3"]).items()}
            )
        if "alternative" in sig:
            params.update({k: {"alternative": v} for k, v in _simple("alternative", ["x", None]).items()})
        if "quantile" in sig:
            params.update(
                {k: {"quantile": v} for k, v in _simple("quantile", [1.5, -0.1, float("nan")]).items()}
            )
        if "min_cluster_size" in sig:
            params.update(
                {
                    k: {"min_cluster_size": v}
                    for k, v in _simple("min_cluster_size", [-3, 0, True, 1.5, 10**6]).items()
                }
            )
        if "alpha" in sig:
            params.update({k: {"alpha": v} for k, v in _simple("alpha", [-1, 0, 1, 2, float("nan")]).items()})
        if "dip" in sig:
            params.update({k: {"dip": v} for k, v in _simple("dip", ["yes"]).items()})
        if "null" in sig:
            params.update({k: {"null": v} for k, v in _simple("null", ["x", None, 3]).items()})
        if "nulls" in sig:
            params.update({k: {"nulls": v} for k, v in _simple("nulls", [(), ("x",), "box", None]).items()})
        if "max_samples" in sig:
            params.update(
                {k: {"max_samples": v} for k, v in _simple("max_samples", [0, -1, True, 1.5]).items()}
            )
        fixed = {"n_simulations": 3} if "n_simulations" in sig and name != "vat_gap" else {}
        data_entry(name, func, precomputed="metric" in sig, params=params, **fixed)

    # Cut-weight functions.
    for name, func, params in (
        (
            "estimate_n_clusters",
            st.estimate_n_clusters,
            {
                **{k: {"quantile": v} for k, v in _simple("quantile", [1.5, -1, float("nan")]).items()},
                **{k: {"ratio": v} for k, v in _simple("ratio", [-1, float("nan"), "2"]).items()},
                **{
                    k: {"min_cluster_size": v}
                    for k, v in _simple("min_cluster_size", [-3, 0, True, 1.5]).items()
                },
                **{k: {"max_clusters": v} for k, v in _simple("max_clusters", [0, -1, True, 1.5]).items()},
            },
        ),
        (
            "ivat_from_cut_weights",
            st.ivat_from_cut_weights,
            {
                **_params(None, n_jobs=N_JOBS),
                **{k: {"dtype": v} for k, v in _simple("dtype", ["x", int, np.complex128]).items()},
            },
        ),
        (
            "downsampled_ivat_image",
            st.downsampled_ivat_image,
            {
                **_params(None, n_jobs=N_JOBS),
                **{
                    k: {"max_pixels": v}
                    for k, v in _simple("max_pixels", [0, -1, True, 1.5, "3", 2**40]).items()
                },
                **{k: {"reduce": v} for k, v in _simple("reduce", ["x", None]).items()},
            },
        ),
    ):
        for case, cw in w_cases.items():
            add(name, case, func, cw)
        for case, kw in params.items():
            add(name, case, func, w, **kw)

    dvat = st.downsampled_vat_image
    for case, X in X_cases.items():
        add("downsampled_vat_image", f"X={case}", dvat, X, order, max_pixels=5)
    for case, D in D_cases.items():
        add("downsampled_vat_image", case, dvat, D, np.arange(D.shape[0]), metric="precomputed", max_pixels=5)
    for case, o in {
        "order too short": order[:5],
        "order out of range": order + 5,
        "order negative": order - 25,
        "order with duplicates": order // 2,
        "order float": order + 0.5,
        "order 2-d": order.reshape(4, 5),
        "order None": None,
        "order huge index": np.r_[order[:-1], 2**62],
    }.items():
        add("downsampled_vat_image", case, dvat, good, o)
    for case, kw in {
        **_params(None, n_jobs=N_JOBS, metric=METRIC),
        **{k: {"max_pixels": v} for k, v in _simple("max_pixels", [0, True, 1.5, 2**40]).items()},
        **{k: {"reduce": v} for k, v in _simple("reduce", ["x", "max"]).items()},
    }.items():
        add("downsampled_vat_image", case, dvat, good, order, **kw)

    for n, m in [
        (0, 5),
        (-1, 5),
        (1.5, 5),
        (True, 5),
        (2**62, 5),
        (10, 0),
        (10, True),
        (10, 1.5),
        (10, "3"),
        (10, -2),
        (None, 3),
    ]:
        add("block_edges", f"n_samples={n!r}, max_pixels={m!r}", st.block_edges, n, m)

    # Matching.
    for case, (a, b) in {
        "empty": ([], []),
        "lengths differ": ([0, 1, 1], [0, 1]),
        "2-d y_true": (np.zeros((5, 2)), [0, 1, 0, 1, 0]),
        "nan labels": ([0.0, np.nan, 1.0], [0, 1, 1]),
        "mixed types": ([0, "a", 1], [0, 1, 1]),
        "None": (None, None),
        "one sample": ([0], [3]),
        "strings both": (["a", "b"], ["x", "y"]),
        "huge ids": ([0, 1, 1], [2**63 - 1, -(2**63), 0]),
        "float ids": ([0, 1, 1], [0.5, 1.5, 0.5]),
    }.items():
        add("match_labels", case, st.match_labels, a, b)
    for case, kw in {
        "method='x'": {"method": "x"},
        "noise_label='a'": {"noise_label": "a"},
        "return_mapping='yes'": {"return_mapping": "yes"},
    }.items():
        add("match_labels", case, st.match_labels, y, y, **kw)

    def matcher_fit(X, yy, estimator=None, **kw):
        est = KMeans(2, n_init=1, random_state=0) if estimator is None else estimator
        return st.LabelMatcher(est, **kw).fit(X, yy)

    for case, X in X_cases.items():
        shape = getattr(X, "shape", ())
        n = shape[0] if len(shape) else len(X) if isinstance(X, list) else 0
        add("LabelMatcher", f"X={case}", matcher_fit, X, (np.arange(n) % 2) if n else y)
    for case, yy in {
        "one class": np.zeros(20),
        "nan labels": np.r_[np.nan, y[1:]],
        "y too short": y[:5],
        "2-d y": np.c_[y, y],
        "continuous y": good[:, 0],
        "y None": None,
    }.items():
        add("LabelMatcher", case, matcher_fit, good, yy)
    for case, kw in {
        "estimator=None": {"estimator": 3},
        "method='x'": {"method": "x"},
        "estimator single cluster": {"estimator": KMeans(1, n_init=1)},
        "noise_label='a'": {"noise_label": "a"},
    }.items():
        add("LabelMatcher", case, matcher_fit, good, y, **kw)
    fitted_matcher = st.LabelMatcher(KMeans(2, n_init=1, random_state=0)).fit(good, y)
    add("LabelMatcher", "predict other features", fitted_matcher.predict, good[:, :2])
    add("LabelMatcher", "predict nan", fitted_matcher.predict, X_cases["nan"])

    # LloydKMeans (the estimator's own fixes are issue 13 item 1, elsewhere).
    def km_fit(X, sample_weight=None, **kw):
        return st.LloydKMeans(**{"n_clusters": 2, "random_state": 0, **kw}).fit(
            X, sample_weight=sample_weight
        )

    for case, X in X_cases.items():
        add("LloydKMeans", f"X={case}", km_fit, X)
    for case, kw in {
        **{k: {"n_clusters": v} for k, v in _simple("n_clusters", [0, True, -1, 1.5, 21]).items()},
        **{k: {"init": v} for k, v in _simple("init", ["x", np.zeros((3, 3)), np.zeros((2, 5))]).items()},
        "init with nan": {"init": np.array([[np.nan] * 3, [0.0] * 3])},
        **{k: {"n_init": v} for k, v in _simple("n_init", [0, True, "x"]).items()},
        **{k: {"max_iter": v} for k, v in _simple("max_iter", [0, -1, 1.5]).items()},
        **{k: {"tol": v} for k, v in _simple("tol", [-1, float("nan"), "x"]).items()},
        **_params(None, random_state=RANDOM_STATE),
        "sample_weight negative": {"sample_weight": -np.ones(20)},
        "sample_weight nan": {"sample_weight": np.r_[np.nan, np.ones(19)]},
        "sample_weight too short": {"sample_weight": np.ones(5)},
        "sample_weight all zero": {"sample_weight": np.zeros(20)},
    }.items():
        add("LloydKMeans", case, km_fit, good, **kw)
    km = st.LloydKMeans(2, random_state=0).fit(good)
    add("LloydKMeans", "predict other features", km.predict, rng.rand(5, 7))
    add("LloydKMeans", "predict nan", km.predict, X_cases["nan"])
    add("LloydKMeans", "transform other features", km.transform, rng.rand(5, 2))
    add("LloydKMeans", "score other features", km.score, rng.rand(5, 9))

    def predict_after_failed_refit():
        # Issue 13, item 1: a refit on 64 features that fails validation must
        # not leave the 3-feature centres behind for predict to read past.
        est = st.LloydKMeans(2, random_state=0).fit(good)
        try:
            est.fit(rng.rand(1, 200_000))
        except ValueError:
            pass
        labels = est.predict(rng.rand(5, 200_000))
        raise RuntimeError(f"predict answered {labels} from centres of another fit")

    add("LloydKMeans", "predict after a failed refit", predict_after_failed_refit)

    # Scorers and result containers.
    add("make_tendency_scorer", "statistic='x'", st.make_tendency_scorer, "x")
    add("make_tendency_scorer", "unknown parameter", st.make_tendency_scorer, "hopkins", nope=1)
    add("make_tendency_scorer", "statistic=3", st.make_tendency_scorer, 3)
    scorer = st.make_tendency_scorer("hopkins")
    for case, X in X_cases.items():
        add("make_tendency_scorer", f"scorer on X={case}", scorer, st.LloydKMeans(2), X)
    add("HopkinsResult", "garbage fields", lambda: list(st.HopkinsResult(np.nan, None, -1, "x")))
    add("TendencyResult", "garbage fields", lambda: list(st.TendencyResult("x", None)))
    add(
        "TendencyReport",
        "garbage fields",
        lambda: str(st.TendencyReport(-1, None, {}, "x", None, -3, float("nan"))),
    )

    add("ClusterTendencyResult", "garbage fields", lambda: list(st.ClusterTendencyResult("x", None, None)))
    for case, (kx, ky) in {
        "empty": ([], []),
        "one point": ([1], [1.0]),
        "lengths differ": ([1, 2, 3], [1.0, 2.0]),
        "nan": ([1, 2, 3], [1.0, np.nan, 0.0]),
        "strings": (["a", "b", "c"], [1, 2, 3]),
        "2-d": (np.zeros((3, 2)), np.zeros((3, 2))),
        "None": (None, None),
    }.items():
        add("knee_point", case, st.knee_point, kx, ky)

    # Displays (Agg backend in the child).
    for case in ("nan", "empty (0, 3)", "one sample", "strings", "complex", "csr"):
        add(
            "KSelectionDisplay",
            f"from_data X={case}",
            st.KSelectionDisplay.from_data,
            X_cases[case],
            n_clusters=range(1, 3),
            plot=False,
        )
    for case, kw in {
        "n_clusters=[0]": {"n_clusters": [0]},
        "n_clusters=[]": {"n_clusters": []},
        "n_clusters=[50]": {"n_clusters": [50]},
        "n_clusters='x'": {"n_clusters": "x"},
        "n_references=-1": {"n_references": -1},
        "silhouette_sample_size=1": {"silhouette_sample_size": 1},
        **{k: {"random_state": v} for k, v in RANDOM_STATE.items()},
    }.items():
        add(
            "KSelectionDisplay",
            f"from_data {case}",
            st.KSelectionDisplay.from_data,
            good,
            **{"n_clusters": range(1, 3), "plot": False, **kw},
        )
    add(
        "KSelectionDisplay",
        "from_estimator VAT",
        st.KSelectionDisplay.from_estimator,
        st.VAT(),
        good,
        n_clusters=range(1, 3),
        plot=False,
    )
    add(
        "KSelectionDisplay",
        "from_estimator string",
        st.KSelectionDisplay.from_estimator,
        "x",
        good,
        n_clusters=range(1, 3),
        plot=False,
    )
    for case, labels in {
        "one cluster": np.zeros(20),
        "too short": y[:5],
        "nan": np.r_[np.nan, y[1:]],
        "2-d": np.c_[y, y],
        "None": None,
        "all distinct": np.arange(20),
    }.items():
        add(
            "SilhouetteDisplay",
            f"from_predictions labels {case}",
            st.SilhouetteDisplay.from_predictions,
            good,
            labels,
        )
    for case in ("nan", "empty (0, 3)", "strings", "complex"):
        add(
            "SilhouetteDisplay",
            f"from_predictions X={case}",
            st.SilhouetteDisplay.from_predictions,
            X_cases[case],
            np.arange(np.asarray(X_cases[case]).shape[0] if np.ndim(X_cases[case]) else 0) % 2,
        )
    for case, kw in {"sample_size=1": {"sample_size": 1}, "metric='nope'": {"metric": "nope"}}.items():
        add(
            "SilhouetteDisplay",
            f"from_predictions {case}",
            st.SilhouetteDisplay.from_predictions,
            good,
            y,
            **kw,
        )
    add(
        "SilhouetteDisplay",
        "from_estimator unfitted",
        st.SilhouetteDisplay.from_estimator,
        st.LloydKMeans(2),
        good,
    )
    add("SilhouetteDisplay", "from_estimator string", st.SilhouetteDisplay.from_estimator, "x", good)

    fitted_vat, fitted_ivat = st.VAT().fit(good), st.IVAT().fit(good)
    sampled = st.IVAT(sample_size=5, random_state=0).fit(good)
    for case, args in {
        "unfitted VAT": (st.VAT(), good),
        "LloydKMeans": (km, good),
        "VAT without X": (fitted_vat,),
        "VAT X other n": (fitted_vat, good[:5]),
        "IVAT X other n": (fitted_ivat, good[:5]),
        "sampled IVAT": (sampled, good),
        "VAT X nan": (fitted_vat, X_cases["nan"]),
        "string": ("VAT", good),
    }.items():
        add("VATDisplay", f"from_estimator {case}", st.VATDisplay.from_estimator, *args)
    for case, kw in {
        "labels wrong length": {"labels": np.arange(3)},
        "max_pixels=0": {"max_pixels": 0},
        "reduce='x'": {"reduce": "x"},
        "reduce='max' on VAT": {"reduce": "max"},
    }.items():
        add("VATDisplay", f"from_estimator {case}", st.VATDisplay.from_estimator, fitted_vat, good, **kw)
    for case in ("nan", "empty (0, 3)", "one sample", "strings", "complex", "huge 1e300", "csr"):
        add("VATDisplay", f"from_data X={case}", st.VATDisplay.from_data, X_cases[case])
    add("VATDisplay", "from_data method='x'", st.VATDisplay.from_data, good, method="x")
    for case, image in {
        "image nan": np.full((3, 3), np.nan),
        "image 1-d": np.zeros(3),
        "image empty": np.zeros((0, 0)),
        "image strings": np.array([["a"]]),
    }.items():
        add("VATDisplay", case, lambda im: st.VATDisplay(im).plot(), image)

    for case, est in {
        "KMeans": KMeans(2, n_init=1).fit(good),
        "unfitted": st.LloydKMeans(2),
        "VAT": fitted_vat,
        "string": "x",
    }.items():
        add(
            "ObjectiveHistoryDisplay",
            f"from_estimator {case}",
            st.ObjectiveHistoryDisplay.from_estimator,
            est,
        )
    for case, hist in {
        "nan": np.array([1.0, np.nan]),
        "2-d": np.zeros((2, 2)),
        "empty": np.zeros(0),
        "strings": np.array(["a"]),
        "None": None,
    }.items():
        add(
            "ObjectiveHistoryDisplay", f"history {case}", lambda h: st.ObjectiveHistoryDisplay(h).plot(), hist
        )

    km_centers = st.LloydKMeans(2, random_state=0, store_centers=True).fit(good)
    for case, args, kw in [
        ("unfitted", (st.LloydKMeans(2), good), {}),
        ("no center history", (km, good), {}),
        ("features out of range", (km_centers, good), {"features": (0, 5)}),
        ("features one", (km_centers, good), {"features": (0,)}),
        ("X other features", (km_centers, good[:, :2]), {}),
        ("X nan", (km_centers, X_cases["nan"]), {}),
        ("frame=10**6", (km_centers, good), {"frame": 10**6}),
        ("KMeans", (KMeans(2, n_init=1).fit(good), good), {}),
    ]:
        add(
            "ClusteringAnimation",
            f"from_estimator {case}",
            st.ClusteringAnimation.from_estimator,
            *args,
            **kw,
        )
    add(
        "ClusteringAnimation",
        "center_history 2-d",
        lambda: st.ClusteringAnimation(good, np.zeros((2, 3))).plot(),
    )

    for case, args in {
        "unfitted": (st.LabelMatcher(KMeans(2)), good, y),
        "X other features": (fitted_matcher, good[:, :2], y),
        "y wrong length": (fitted_matcher, good, y[:3]),
        "not a matcher": (km, good, y),
        "X nan": (fitted_matcher, X_cases["nan"], y),
    }.items():
        add(
            "MatchedConfusionMatrixDisplay",
            f"from_matcher {case}",
            st.MatchedConfusionMatrixDisplay.from_matcher,
            *args,
        )
    return eps


# --- Running the sweep in children ------------------------------------------------


def _digest(obj):
    h = hashlib.sha256()

    def feed(o):
        if isinstance(o, np.ndarray):
            h.update(repr((o.dtype.str, o.shape, o.strides)).encode())
            h.update(pickle.dumps(o) if o.dtype == object else np.ascontiguousarray(o).tobytes())
        elif sparse.issparse(o):
            h.update(type(o).__name__.encode())
            for part in ("data", "indices", "indptr", "row", "col"):
                if hasattr(o, part):
                    feed(getattr(o, part))
        elif isinstance(o, (list, tuple)):
            for item in o:
                feed(item)
        elif isinstance(o, dict):
            for key, item in o.items():
                feed(key)
                feed(item)
        elif hasattr(o, "get_params"):
            h.update(type(o).__name__.encode())
            feed(o.get_params(deep=False))
            feed({k: v for k, v in vars(o).items() if k.endswith("_")})
        elif callable(o):
            h.update(repr(id(o)).encode())
        else:
            h.update(repr(o).encode())

    feed(obj)
    return h.hexdigest()


def _allowed(exc):
    from numpy.linalg import LinAlgError

    return isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, LinAlgError)


def _child(keys):
    """Run the given (entry, case) calls, one report line before and after each."""
    import matplotlib

    matplotlib.use("Agg")
    import faulthandler

    import matplotlib.pyplot as plt

    eps = _entry_points()
    for entry, case in keys:
        func, args, kwargs = eps[entry][case]
        print("START", json.dumps([entry, case]), flush=True)
        faulthandler.dump_traceback_later(CALL_TIMEOUT, exit=True)
        before = _digest((args, kwargs))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                func(*args, **kwargs)
                outcome = "ok"
            except BaseException as exc:  # noqa: BLE001 - classified below
                if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                    raise
                kind = "error" if _allowed(exc) else "BAD"
                outcome = f"{kind} {type(exc).__name__}: {str(exc)[:200]}"
        faulthandler.cancel_dump_traceback_later()
        if _digest((args, kwargs)) != before:
            outcome = "MODIFIED its input; " + outcome
        warned = sorted({f"{w.category.__name__}" for w in caught})
        plt.close("all")
        print("END", json.dumps([entry, case, outcome, warned]), flush=True)


def run_sweep():
    """{entry: {case: (outcome, warnings)}}, resuming after any child that dies."""
    keys = [(entry, case) for entry, cases in _entry_points().items() for case in cases]
    results = {}
    todo = keys
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONFAULTHANDLER": "1"}
    while todo:
        proc = subprocess.Popen(
            [sys.executable, HERE, "--child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            out, err = proc.communicate(json.dumps(todo), timeout=CALL_TIMEOUT * 20)
            hung = False
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            hung = True
        started = None
        for line in out.splitlines():
            tag, _, payload = line.partition(" ")
            if tag == "START":
                started = tuple(json.loads(payload))
            elif tag == "END":
                entry, case, outcome, warned = json.loads(payload)
                results.setdefault(entry, {})[case] = (outcome, warned)
                started = None
        if started is None:
            if proc.returncode != 0 and not hung:
                raise RuntimeError(f"the sweep's child failed outside any call:\n{err[-3000:]}")
            break
        if hung:
            outcome = "BAD the sweep's child hung (killed)"
        elif proc.returncode < 0:
            outcome = f"BAD died from signal {-proc.returncode}"
        elif "Timeout" in err:
            outcome = f"BAD hung for over {CALL_TIMEOUT} s"
        else:
            outcome = f"BAD child exited with {proc.returncode}: {err[-300:]}"
        results.setdefault(started[0], {})[started[1]] = (outcome, [])
        todo = todo[todo.index(started) + 1 :]
    return results


@pytest.fixture(scope="module")
def sweep():
    t0 = time.perf_counter()
    results = run_sweep()
    results["_seconds"] = time.perf_counter() - t0
    return results


def _report(entry, cases):
    width = max(len(c) for c in cases)
    lines = [f"{entry}: {len(cases)} inputs"]
    for case, (outcome, warned) in cases.items():
        note = f"  [warns {', '.join(warned)}]" if warned else ""
        lines.append(f"  {case:<{width}}  {outcome[:120]}{note}")
    return "\n".join(lines)


def _public_names():
    import sklearn_tendency as st

    return sorted(st.__all__)


def test_sweep_covers_every_public_name():
    names = set(_entry_points())
    assert names == set(_public_names())


# Entry points that still fail the sweep, with the issue-13 item in the way.
_OPEN = {}


@pytest.mark.parametrize("entry", _public_names())
def test_bad_inputs(entry, sweep, request):
    if entry in _OPEN:
        request.applymarker(pytest.mark.xfail(strict=True, reason=_OPEN[entry]))
    cases = sweep[entry]
    print(_report(entry, cases))
    bad = {case: outcome for case, (outcome, _) in cases.items() if outcome.startswith(("BAD", "MODIFIED"))}
    assert not bad, _report(entry, {c: (o, []) for c, o in bad.items()})


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _child([tuple(k) for k in json.loads(sys.stdin.read())])
    else:
        results = run_sweep()
        for entry in sorted(results):
            print(_report(entry, results[entry]))
