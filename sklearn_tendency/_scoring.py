"""Tendency scorers for model selection, and the assessment report."""

import inspect
import sys
import time
from numbers import Integral, Real

import numpy as np
from sklearn.base import is_classifier, is_clusterer
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import Interval, RealNotInt, validate_params

from . import _tendency

__all__ = ["TendencyReport", "assess_tendency", "make_tendency_scorer", "STATISTICS"]

# name -> (function, what it tests against); every function takes random_state
STATISTICS = {
    "hopkins_both": (_tendency.hopkins_both,
                     "both a uniform box and a single Gaussian (the smaller H)"),
    "hopkins": (_tendency.hopkins_test,
                "uniform points in the data's bounding box (Wright 2022)"),
    "gaussian_hopkins": (_tendency.gaussian_hopkins_test,
                         "a single Gaussian with the data's mean and covariance"),
    "dip": (_tendency.dip_test,
            "unimodal pairwise distances (Hartigan's dip, Adolfsson et al. 2019)"),
    "vat_gap": (_tendency.vat_gap,
                "a single Gaussian (simulated): the largest jump between VAT blocks"),
}


def _compute(statistic, X, params, random_state):
    if statistic not in STATISTICS:
        raise ValueError(
            f"Unknown tendency statistic {statistic!r}; choose one of "
            f"{sorted(STATISTICS)}."
        )
    func = STATISTICS[statistic][0]
    return func(X, **{"random_state": random_state, **params})


def _statistic_only(statistic, params):
    """A scorer reads the statistic only: no simulated p-values unless asked."""
    func = STATISTICS[statistic][0]
    if "n_simulations" in inspect.signature(func).parameters:
        return {"n_simulations": 0, **params}
    return params


def _representation(estimator, X):
    """The data as the estimator sees it before clustering or classifying."""
    if isinstance(estimator, Pipeline):
        return estimator[:-1].transform(X) if len(estimator) > 1 else X
    if is_clusterer(estimator) or is_classifier(estimator):
        return X
    if hasattr(estimator, "transform"):
        return estimator.transform(X)
    return X


class _TendencyScorer:
    """Picklable scorer: a module-level class, not a closure (joblib, dask)."""

    def __init__(self, statistic, random_state, params):
        self.statistic = statistic
        self.random_state = random_state
        self.params = params

    def __call__(self, estimator, X, y=None):
        Xt = _representation(estimator, X)
        if hasattr(Xt, "toarray"):
            Xt = Xt.toarray()
        result = _compute(self.statistic, np.asarray(Xt),
                          _statistic_only(self.statistic, self.params), self.random_state)
        return float(result.statistic)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return (f"make_tendency_scorer(statistic={self.statistic!r}, "
                f"random_state={self.random_state!r}{', ' + args if args else ''})")


def make_tendency_scorer(statistic="hopkins_both", *, random_state=0, **params):
    """A scorer that rates how clustered the data look to an estimator.

    For ``GridSearchCV(scoring=...)`` and ``cross_validate``: it scores the
    data as the estimator transforms it (for a Pipeline, every step before the
    final one; for a transformer, its ``transform``; for a clusterer or a
    classifier, the input itself). Higher means more cluster structure, so a
    search picks the representation in which clusters stand out. ``y`` is
    ignored.

    Parameters
    ----------
    statistic : {"hopkins_both", "gaussian_hopkins", "hopkins", "dip", \
            "vat_gap"}, default="hopkins_both"
        The statistic (see the :ref:`API reference <api>` for what each
        tests against). The default, the smaller of the box-null and
        Gaussian-null Hopkins statistics, is the verdict rule of
        :func:`assess_tendency` as a score and the one that ranks the
        reference studies by recoverable clusters
        (``benchmarks/tendency_table.py``): it rewards a representation neither
        for merely being non-uniform (a Gaussian cloud scores ~0.5 where the
        box null gives 1.0) nor for being a box (uniform 32-d data score 0.33
        where the Gaussian null gives 0.66, as much as separable clusters).
        Simulated p-values are skipped: a scorer reads the statistic only.
    random_state : int, RandomState instance or None, default=0
        Sampling of the statistic; fixed by default so that every candidate
        of a search is scored with the same draws (deterministic scores).
    **params
        Passed to the statistic (e.g. ``sample_size``).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``; picklable.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import LloydKMeans, make_tendency_scorer
    >>> X, _ = make_blobs(n_samples=300, centers=3, cluster_std=0.5, random_state=0)
    >>> scorer = make_tendency_scorer()
    >>> scorer(LloydKMeans(3, random_state=0).fit(X), X) > 0.9
    True
    """
    if statistic not in STATISTICS:
        raise ValueError(
            f"Unknown tendency statistic {statistic!r}; choose one of "
            f"{sorted(STATISTICS)}."
        )
    return _TendencyScorer(statistic, random_state, params)


class TendencyReport:
    """What :func:`assess_tendency` found; prints as a short report.

    Attributes
    ----------
    n_samples, n_features : int
    results : dict
        Statistic name -> result (``statistic``, ``pvalue``).
    verdict : str
        ``"clustered"`` or ``"no evidence of clusters"``.
    rule : str
        The rule that gave the verdict.
    n_clusters_estimate : int
        The VAT cluster-count estimate (single-linkage view).
    alpha : float
        Level of the tests.
    """

    def __init__(self, n_samples, n_features, results, verdict, rule,
                 n_clusters_estimate, alpha):
        self.n_samples = n_samples
        self.n_features = n_features
        self.results = results
        self.verdict = verdict
        self.rule = rule
        self.n_clusters_estimate = n_clusters_estimate
        self.alpha = alpha

    def __str__(self):
        lines = [f"samples: {self.n_samples}, features: {self.n_features}"]
        for name, res in self.results.items():
            p = "" if np.isnan(res.pvalue) else f", p-value {res.pvalue:.3g}"
            lines.append(f"  {name:17s} {res.statistic:8.4f}{p}   (vs {STATISTICS[name][1]})")
        lines.append(f"VAT cluster-count estimate: {self.n_clusters_estimate}")
        lines.append(f"verdict: {self.verdict} ({self.rule})")
        return "\n".join(lines)

    def __repr__(self):
        return f"<TendencyReport verdict={self.verdict!r} n_clusters_estimate={self.n_clusters_estimate}>"


def _progress(verbose):
    """``say(step)``: the step and the time since the start, on stderr, when verbose."""
    t0 = time.perf_counter()

    def say(step):
        if verbose:
            print(f"[assess_tendency] {time.perf_counter() - t0:6.1f} s: {step}",
                  file=sys.stderr, flush=True)

    return say


@validate_params(
    {
        "X": ["array-like"],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "sample_size": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
        "dip": ["boolean", None],
        "n_simulations": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
def assess_tendency(X, *, alpha=0.05, sample_size=0.1, dip=None, n_simulations=99,
                    random_state=0, n_jobs=None, verbose=0):
    """Run the tendency statistics on X and give a verdict.

    Verdict rule (chosen from ``benchmarks/tendency_table.py``): **clustered**
    when both Hopkins tests reject at level ``alpha`` — the data are far from
    uniform in their box *and* from a single Gaussian — otherwise **no
    evidence of clusters**. Each test alone fails on the reference studies: the
    box null rejects any Gaussian cloud in high dimension, the Gaussian null
    rejects uniform data; together they follow the recoverability of k-means
    clusters on the 32-d embedding study and the seminar data sets. The dip
    test and the VAT gap are reported, not part of the verdict: the dip on
    pairwise distances only sees the most separated clusters, the VAT gap only
    gaps single linkage sees (none in the 32-d study but at std 0.01).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data; finite, at least 3 samples.
    alpha : float, default=0.05
        Level of the tests.
    sample_size : int or float, default=0.1
        Sample size m of the box-null Hopkins test (the Gaussian-null test
        uses its own default, 0.3).
    dip : bool, default=None
        Also run the dip test (needs ``diptest``); None runs it when the
        package is installed.
    n_simulations : int, default=99
        Simulated Gaussian samples of the Gaussian-null Hopkins test and of the
        VAT gap's p-value (their resolution is ``1 / (1 + n_simulations)``).
    random_state : int, RandomState instance or None, default=0
        Sampling of the statistics.
    n_jobs : int, default=None
        Threads of the neighbour searches and of the VAT kernel.
    verbose : int, default=0
        When positive, print each step and the time since the start on
        stderr: the simulated nulls take seconds on a few thousand samples.

    Returns
    -------
    report : TendencyReport

    Notes
    -----
    Time: ``1 + n_simulations`` VAT orders (O(n^2 d) each, O(n) memory) for the
    VAT gap's p-value dominate; the Hopkins tests cost a neighbour index and
    2m queries per sample.
    """
    from sklearn.utils import check_array

    from ._vat import VAT

    X = check_array(X, dtype=[np.float64, np.float32], ensure_min_samples=3)
    say = _progress(verbose)
    say(f"Hopkins tests: uniform box; single Gaussian ({n_simulations} simulations)")
    results = {
        "hopkins": _tendency.hopkins_test(X, sample_size=sample_size, random_state=random_state),
        "gaussian_hopkins": _tendency.gaussian_hopkins_test(
            X, n_simulations=n_simulations, random_state=random_state, n_jobs=n_jobs),
    }
    if dip is None:
        try:
            import diptest  # noqa: F401

            dip = True
        except ImportError:
            dip = False
    if dip:
        say("dip test")
        results["dip"] = _tendency.dip_test(X, random_state=random_state)
    say(f"VAT gap ({n_simulations} simulations, one VAT order each)")
    results["vat_gap"] = _tendency.vat_gap(
        X, n_simulations=n_simulations, random_state=random_state, n_jobs=n_jobs)
    say("VAT order")
    vat = VAT(n_jobs=n_jobs, random_state=random_state).fit(X)
    say("done")
    n = X.shape[0]
    clustered = results["hopkins"].pvalue < alpha and results["gaussian_hopkins"].pvalue < alpha
    rule = (f"both Hopkins tests (uniform box, single Gaussian) "
            f"{'reject' if clustered else 'do not both reject'} at {alpha:g}")
    return TendencyReport(
        n_samples=n, n_features=X.shape[1], results=results,
        verdict="clustered" if clustered else "no evidence of clusters",
        rule=rule, n_clusters_estimate=vat.n_clusters_estimate_, alpha=alpha,
    )
