import re
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
        ("a,b\n1,2\n3\n5,6\n", [], "has 1 fields"),
        ("a,b\n1,2\n3,4\n", [], "at least 3 rows"),
        ("a,b\n1,2\n3,nan\n5,6\n", [], "NaN or inf"),
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
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Old Faithful" in proc.stdout


# Acceptance (issue 15): the command line run as a user runs it, in a
# subprocess (hence marked slow), on files the test writes. Every outcome is the documented
# report or one line on stderr with exit status 2, never a traceback.


def _two_blobs(seed=0):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(0, 0.3, (60, 2)), rng.normal(5, 0.3, (60, 2))])
    return X, np.repeat(["setosa", "versicolor"], 60)


def _cli(*args, cwd):
    # --n-simulations 0: the reading and the report are under test here, not
    # the simulated p-values (which take seconds).
    proc = subprocess.run(
        [sys.executable, "-m", "sklearn_tendency", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _assert_one_line_error(proc, message):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("sklearn-tendency: error:"), proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert message in proc.stderr, proc.stderr
    assert proc.stdout == ""


def _csv_text(sep, header=True, newline="\n"):
    X, y = _two_blobs()
    rows = [sep.join([f"{a:.5f}", f"{b:.5f}", label]) for (a, b), label in zip(X, y)]
    head = [sep.join(["length", "width", "species"])] if header else []
    return newline.join(head + rows) + newline


CSV_VARIANTS = {
    "comma.csv": (_csv_text(",").encode(), None),
    "semicolon.csv": (_csv_text(";").encode(), "separator: semicolon"),
    "tab.tsv": (_csv_text("\t").encode(), "separator: tab"),
    "spaces.txt": (_csv_text("   ").encode(), "separator: whitespace"),
    "excel_bom.csv": (b"\xef\xbb\xbf" + _csv_text(",", newline="\r\n").encode(), None),
    "latin1.csv": (
        _csv_text(",").replace("length", "l\u00e4nge").encode("latin-1"),
        "encoding: Latin-1",
    ),
    "no_header.csv": (_csv_text(",", header=False).encode(), None),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CSV_VARIANTS))
def test_csv_variants_are_read(tmp_path, name):
    content, note = CSV_VARIANTS[name]
    (tmp_path / name).write_bytes(content)
    proc = _cli(name, "--no-plots", "--n-simulations", "0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "samples: 120, features: 2" in out
    # The species column is text: skipped with a note, not an error.
    assert "skipped non-numeric column" in out
    assert "VAT cluster-count estimate: 2" in out
    if note:
        assert f"note: {note}" in out
    if name == "latin1.csv":
        assert "columns: l\u00e4nge, width" in out
    elif name == "no_header.csv":
        assert "columns: 0, 1" in out
    else:
        assert "columns: length, width" in out


@pytest.mark.slow
def test_label_column_bar_and_agreement(tmp_path):
    (tmp_path / "iris_like.csv").write_text(_csv_text(","))
    proc = _cli(
        "iris_like.csv",
        "--label",
        "species",
        "--out",
        "report",
        "--json",
        "report.json",
        "--n-simulations",
        "0",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "columns: length, width; label: species" in proc.stdout
    # Two separated blobs, one class each: the VAT blocks are the classes.
    assert "2 classes; adjusted Rand index with the VAT blocks: 1.000" in proc.stdout
    import json

    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["labels"] == {"n_classes": 2, "ari_at_estimate": 1.0, "ari_at_n_classes": 1.0}
    assert doc["data"]["columns"] == ["length", "width"]
    assert doc["vat"]["n_clusters_estimate"] == 2 and doc["vat"]["exact"]
    assert set(doc["tests"]["results"]) >= {"hopkins_box", "hopkins_gaussian", "hopkins_ball", "hopkins_t"}
    for name in ("vat.png", "ivat.png"):
        assert (tmp_path / "report" / name).read_bytes()[:4] == b"\x89PNG"


def test_labels_bar_is_drawn(tmp_path, monkeypatch):
    # In process: the figure is inspected before it is closed.
    import matplotlib

    matplotlib.use("Agg")
    from sklearn_tendency import _display

    drawn = []
    original = _display.VATDisplay.plot

    def spy(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        drawn.append(self)
        return result

    monkeypatch.setattr(_display.VATDisplay, "plot", spy)
    (tmp_path / "d.csv").write_text(_csv_text(","))
    assert (
        main(
            [
                str(tmp_path / "d.csv"),
                "--label",
                "species",
                "--quiet",
                "--n-simulations",
                "0",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    assert len(drawn) == 2
    for disp in drawn:
        assert disp.labels_im_ is not None
        assert sorted(set(disp.labels)) == ["setosa", "versicolor"]


@pytest.mark.slow
def test_json_to_stdout(tmp_path):
    (tmp_path / "d.csv").write_text(_csv_text(","))
    proc = _cli("d.csv", "--json", "-", "--no-plots", "--n-simulations", "0", cwd=tmp_path)
    import json

    doc = json.loads(proc.stdout)
    assert doc["data"]["n_samples"] == 120
    assert doc["verdict"] in ("clustered", "no evidence of clusters")


@pytest.mark.slow
def test_npz_npy_and_parquet(tmp_path):
    X, y = _two_blobs()
    np.savez(tmp_path / "d.npz", X=X, y=(y == "setosa").astype(int))
    proc = _cli("d.npz", "--label", "y", "--no-plots", "--n-simulations", "0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "samples: 120, features: 2" in proc.stdout and "label: y" in proc.stdout
    np.save(tmp_path / "one.npy", X[:, 0])
    proc = _cli("one.npy", "--no-plots", "--n-simulations", "0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "samples: 120, features: 1" in proc.stdout


@pytest.mark.slow
def test_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    X, y = _two_blobs()
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "species": y}).to_parquet(tmp_path / "d.parquet")
    proc = _cli("d.parquet", "--label", "species", "--no-plots", "--n-simulations", "0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "columns: a, b; label: species" in proc.stdout


@pytest.mark.slow
def test_options_before_the_file(tmp_path):
    (tmp_path / "data.csv").write_text(_csv_text(","))
    proc = _cli(
        "--columns", "length", "width", "data.csv", "--no-plots", "--n-simulations", "0", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "data: data.csv" in proc.stdout
    assert "note: input file data.csv" in proc.stdout


@pytest.mark.slow
def test_bad_out_is_reported_before_any_work(tmp_path):
    (tmp_path / "data.csv").write_text(_csv_text(","))
    (tmp_path / "taken").write_text("not a folder")
    proc = _cli("data.csv", "--out", "taken", cwd=tmp_path)
    _assert_one_line_error(proc, "--out taken: is an existing file")
    proc = _cli("data.csv", "--out", "taken/sub", cwd=tmp_path)
    _assert_one_line_error(proc, "is a file, not a folder")
    # Before any work: the reading, the tests and the ordering print their
    # progress on stderr; nothing but the error line is there.
    proc = _cli("data.csv", "--json", "taken/report.json", "--no-plots", cwd=tmp_path)
    _assert_one_line_error(proc, "--json taken/report.json")


def _write(tmp_path, files):
    for name, content in files.items():
        if isinstance(content, bytes):
            (tmp_path / name).write_bytes(content)
        else:
            np.save(tmp_path / name, content)


@pytest.mark.slow
@pytest.mark.parametrize(
    "files, args, message",
    [
        ({"x.npy": np.zeros((4, 3, 2))}, ["x.npy"], "expected a 2-d array"),
        ({"empty.csv": b""}, ["empty.csv"], "the file is empty"),
        ({}, ["."], "is a directory"),
    ],
)
def test_bad_input_one_line_status_2_subprocess(tmp_path, files, args, message):
    _write(tmp_path, files)
    _assert_one_line_error(_cli(*args, "--no-plots", cwd=tmp_path), message)


@pytest.mark.parametrize(
    "files, args, message",
    [
        ({"x.npy": np.zeros((4, 3))}, ["--columns", "a", "x.npy"], "unknown column 'a'"),
        (
            {"bad.csv": b"a,b\n1,2\n3,x\n5,6\n"},
            ["bad.csv"],
            "bad.csv: line 3, column 'b': 'x' is not a number",
        ),
        ({"semi.csv": b"a\tb\n1\t2\n3\t4;5\n4\t5\n"}, ["semi.csv"], "the separator may be semicolon"),
        ({"na.csv": b"a,b\n1,2\n3,NA\n5,6\n"}, ["na.csv"], "'NA', a missing value"),
        ({"gap.csv": b"a,b\n1,2\n3,\n5,6\n"}, ["gap.csv"], "line 3, column 'b': empty cell"),
        ({"dec.csv": b"a;b\n1,5;2,5\n3,5;4,5\n"}, ["dec.csv"], "decimal commas"),
        (
            {"d.csv": b"a,b\n1,2\n3,4\n5,6\n"},
            ["d.csv", "--label", "c"],
            "unknown label column 'c' (columns: a, b)",
        ),
        (
            {"d.csv": b"a,b,s\n1,2,u\n3,4,v\n5,6,w\n"},
            ["d.csv", "--columns", "a", "s"],
            "column 's' is not numeric",
        ),
        ({"d.csv": b"a,b\n1,2\n3,4\n5,6\n"}, ["d.csv", "--delimiter", "%"], "unknown --delimiter"),
        ({"d.xlsx": b"PK"}, ["d.xlsx"], "save the sheet as CSV"),
        ({"d.csv": b"a,b\n1,2\n1,2\n1,2\n"}, ["d.csv"], "every row is the same point"),
        ({"u16.csv": "a,b\n1,2\n".encode("utf-16")}, ["u16.csv"], "UTF-16"),
        ({"head.csv": b"a,b\n"}, ["head.csv"], "a header row and no data rows"),
    ],
)
def test_bad_input_one_line_status_2(tmp_path, capsys, monkeypatch, files, args, message):
    # In process (the subprocess cases above show the entry point behaves the same).
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert main([*args, "--no-plots"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("sklearn-tendency: error:")
    assert captured.err.count("\n") == 1 and message in captured.err, captured.err
    assert captured.out == ""


def test_bad_option_value_one_line(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--sample-size", "x"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--sample-size" in err


@pytest.mark.slow
def test_20000_rows_images_under_1GB(tmp_path):
    # Issue 15: a 20 000 x 10 CSV once drew two n x n images (22.5 GB). The
    # child's peak resident memory is read by a wrapper process of its own,
    # so no other child of the test session counts.
    rng = np.random.RandomState(0)
    centers = rng.uniform(-10, 10, (5, 10))
    y = rng.randint(0, 5, 20_000)
    X = centers[y] + rng.normal(size=(20_000, 10))
    np.savetxt(
        tmp_path / "big.csv",
        X,
        delimiter=",",
        fmt="%.6g",
        header=",".join(f"x{j}" for j in range(10)),
        comments="",
    )
    wrapper = (
        "import resource, subprocess, sys\n"
        "proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(proc.stderr); sys.stdout.write(proc.stdout)\n"
        "print('MAXRSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(proc.returncode)\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            wrapper,
            sys.executable,
            "-m",
            "sklearn_tendency",
            "big.csv",
            "--out",
            "out",
            "--n-simulations",
            "39",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in ("vat.png", "ivat.png"):
        assert (tmp_path / "out" / name).read_bytes()[:4] == b"\x89PNG"
    # The sVAT sample exceeds the asked size by less than its maximin count.
    assert re.search(r"maximin sample of 10,0\d\d of the 20,000 rows", proc.stdout)
    assert "--sample-size all forces the exact order" in proc.stdout
    peak_kb = int(proc.stdout.rsplit("MAXRSS_KB", 1)[1])
    assert peak_kb < 1024 * 1024, f"peak memory {peak_kb / 1024:.0f} MB"


def test_scale_warning_and_quiet(tmp_path, capsys):
    X, _ = _two_blobs()
    path = tmp_path / "scales.csv"
    np.savetxt(
        path, np.column_stack([X[:, 0] * 1000, X[:, 1]]), delimiter=",", header="grams,metres", comments=""
    )
    assert main([str(path), "--no-plots", "--quiet", "--n-simulations", "0"]) == 0
    captured = capsys.readouterr()
    assert "warning: feature scales differ by a factor of 1e+03" in captured.out
    assert "dominated by 'grams'" in captured.out
    assert captured.err == ""
    assert main([str(path), "--no-plots", "--quiet", "--n-simulations", "0", "--standardize"]) == 0
    assert "feature scales differ" not in capsys.readouterr().out


def test_progress_on_stderr(tmp_path, capsys):
    (tmp_path / "d.csv").write_text(_csv_text(","))
    assert main([str(tmp_path / "d.csv"), "--no-plots", "--n-simulations", "0"]) == 0
    captured = capsys.readouterr()
    assert "[assess_tendency]" in captured.err and "VAT: ordering 120 rows" in captured.err
    assert "[assess_tendency]" not in captured.out


def test_assess_tendency_verbose(capsys):
    from sklearn_tendency import assess_tendency

    X, _ = _two_blobs()
    quiet = assess_tendency(X, n_simulations=9, dip=False)
    assert capsys.readouterr().err == ""
    loud = assess_tendency(X, n_simulations=9, dip=False, verbose=1)
    err = capsys.readouterr().err
    assert "4 structureless nulls (9 simulations each)" in err
    assert "VAT gap" in err and "VAT order" in err and "done" in err
    # Progress only: the same report.
    assert str(quiet) == str(loud)


def test_low_simulation_count_is_explained(tmp_path, capsys):
    (tmp_path / "d.csv").write_text(_csv_text(","))
    assert main([str(tmp_path / "d.csv"), "--no-plots", "--quiet", "--n-simulations", "9"]) == 0
    out = capsys.readouterr().out
    assert "cannot go below 1/(9 + 1) = 0.1" in out
    assert "use at least --n-simulations 20" in out


def test_large_file_is_sampled_and_says_so(tmp_path, capsys):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 0.3, (300, 2)), rng.normal(5, 0.3, (300, 2))])
    np.save(tmp_path / "x.npy", X)
    assert (
        main(
            [
                str(tmp_path / "x.npy"),
                "--quiet",
                "--n-simulations",
                "0",
                "--sample-size",
                "200",
                "--test-size",
                "100",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "uniform random sample of 100 of the 600 rows" in out
    assert "maximin sample of 2" in out and "of the 600 rows" in out
    assert "--sample-size all forces the exact order" in out
    assert "VAT cluster-count estimate: 2" in out
    assert (
        main(
            [str(tmp_path / "x.npy"), "--quiet", "--n-simulations", "0", "--sample-size", "all", "--no-plots"]
        )
        == 0
    )
    assert "VAT order of all 600 rows (exact)" in capsys.readouterr().out


def test_bad_cell_line_number_across_chunks(tmp_path, capsys, monkeypatch):
    from sklearn_tendency import _io

    # Chunks of a few lines: the bad cell sits in a later chunk than the first.
    monkeypatch.setattr(_io, "_CHUNK_BYTES", 64)
    rows = [f"{i},{i % 7}.5" for i in range(200)]
    rows[148] = "148,oops"
    (tmp_path / "long.csv").write_text("a,b\n" + "\n".join(rows) + "\n")
    assert main([str(tmp_path / "long.csv"), "--no-plots"]) == 2
    # Header on line 1: data row 149 is line 150.
    assert "long.csv: line 150, column 'b': 'oops' is not a number" in capsys.readouterr().err
    table = _io.read_table(tmp_path / "long.csv", columns=["a"])
    np.testing.assert_array_equal(table.data[:, 0], np.arange(200))


def test_gzip_csv(tmp_path, capsys):
    import gzip

    with gzip.open(tmp_path / "d.csv.gz", "wt") as f:
        f.write(_csv_text(";"))
    assert main([str(tmp_path / "d.csv.gz"), "--no-plots", "--quiet", "--n-simulations", "0"]) == 0
    out = capsys.readouterr().out
    assert "samples: 120, features: 2" in out and "separator: semicolon" in out
