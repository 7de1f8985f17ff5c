import subprocess
import sys

import numpy as np
import pytest

from sklearn_tendency._cli import main


def test_default_runs_on_faithful(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "samples: 272, features: 2" in out
    # The verdict's four nulls (the report changed by design, issue 18).
    for null in ("box", "gaussian", "ball", "t"):
        assert f"hopkins_{null}" in out
    assert "p-value" in out and "level 0.05" in out
    assert "verdict: clustered" in out
    assert "VAT cluster-count estimate: 2" in out
    for name in ("vat.png", "ivat.png"):
        png = tmp_path / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_csv_with_columns_and_standardize(tmp_path, capsys):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 0.3, (60, 2)), rng.normal(5, 0.3, (60, 2))])
    path = tmp_path / "data.csv"
    np.savetxt(
        path, np.column_stack([X, rng.uniform(size=120)]), delimiter=",", header="a,b,noise", comments=""
    )
    assert main([str(path), "--columns", "a", "1", "--standardize", "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "columns: a, b" in out and "(standardized)" in out
    assert "verdict: clustered" in out
    assert "VAT cluster-count estimate: 2" in out


def test_npy(tmp_path, capsys):
    path = tmp_path / "x.npy"
    np.save(path, np.random.RandomState(0).uniform(size=(100, 3)))
    assert main([str(path), "--no-plots"]) == 0
    assert "samples: 100, features: 3" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, args, message",
    [
        ("a,b\n1,2\n3,x\n", [], "'x' is not a number"),
        ("a,b\n1,2\n3\n", [], "has 1 fields"),
        ("a,b\n1,2\n", [], "at least 2 samples"),
        ("a,b\n1,2\n3,nan\n", [], "NaN or inf"),
        ("", [], "empty"),
        ("a,b\n1,2\n3,4\n", ["--columns", "c"], "unknown column 'c'"),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path, capsys, content, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert main([str(path), "--no-plots", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and err.startswith("sklearn-tendency: error:")


def test_missing_file(capsys):
    assert main(["/no/such/file.csv"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_module_entry_point(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "sklearn_tendency", "--no-plots"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Old Faithful" in proc.stdout
