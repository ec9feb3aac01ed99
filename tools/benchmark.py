"""Benchmark of the workflow: wall time, CPU time and peak memory per rule and end to end.

For each requested cohort size the seeded demo simulator (resources/demo/simulate_demo.py) writes a
SIMULATED cohort (half NEC patients, half healthy donors, one of them hemolysed) and a config like
the demo's (covariate age, PFS and OS endpoints; no validation section), and the workflow runs on
it end to end, cold, in a new directory (``snakemake --cores N --directory DIR --configfile
DIR/config.yaml``). ``demo`` is the bundled demo cohort itself. The counts come as a GeneGlobe
workbook up to 8,191 libraries (a workbook holds at most 16,384 columns: the name, then a UMI and a
READ column per library) and as a TSV matrix (``counts.format: matrix``) beyond, or as ``--input``
says; ``--cache DIR`` keeps the simulated cohorts for the next run (a large workbook takes minutes
to write).

The per-rule figures are the last "done in ... s (since process start), CPU ... s, peak memory
... MB" line of each rule's log (written by ``mirflow.steps.runner``): the rule process's wall and
CPU time, imports included, and its peak resident memory. The total is the wall and CPU time of
the snakemake command (all its processes); the largest process is the peak resident memory of the
largest process of the run (snakemake included), as the kernel reports it for the finished
command. Prints one Markdown table.

``--paired-r N`` instead times N pairs of (the workflow on the demo with its bundled config,
discovery and validation, ``--forceall``; the equivalent R script
../shared/bench/equivalent_analysis.R on the same counts) and prints the median ratio workflow /
R; ``--baseline REPO`` adds, in each pair, a run of another checkout (e.g. an earlier commit) on
its own bundled demo config, and the median ratio of the two workflows. With ``--analysis-only`` the workflow
makes only the tables the R script
computes (:data:`R_EQUIVALENT`: DESeq2 both designs, Wilcoxon, candidates, logistic models, ROC,
prognostic cut-offs, KM, log-rank, Cox, maxstat; from the workbook, QC and normalisation
included), without figures, panel, lock, checklist or provenance. Run: ``bin/benchmark`` (or
``.venv/bin/python tools/benchmark.py --help``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEMO_CONFIG = ROOT / "config" / "config.yaml"
R_SCRIPT = ROOT.parent / "shared" / "bench" / "equivalent_analysis.R"
# The workflow's tables that equivalent_analysis.R computes (its rules and what they need).
R_EQUIVALENT = (
    "results/de/deseq2.tsv",
    "results/de/deseq2_unadjusted.tsv",
    "results/de/wilcoxon.tsv",
    "results/de/candidates.tsv",
    "results/diagnostic/logistic.tsv",
    "results/diagnostic/roc.tsv",
    "results/prognostic/km.tsv",
)
# A GeneGlobe workbook: at most 16,384 columns, the name then a UMI and a READ column per library.
MAX_WORKBOOK_LIBRARIES = (16_384 - 1) // 2
DONE = re.compile(
    r"^(?P<stamp>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+ INFO mirflow: done in (?P<seconds>[\d.]+) s "
    r"\(since (?:process start|the worker forked it)\), "
    r"(?:CPU (?P<cpu>[\d.]+) s, )?peak memory (?P<mb>\d+) MB$"
)


@dataclass(frozen=True)
class RuleFigure:
    """One rule's figures from its log: wall and CPU seconds (imports included; CPU None in
    logs that predate it) and peak memory."""

    rule: str
    seconds: float
    cpu: float | None
    peak_mb: float
    finished: datetime


@dataclass(frozen=True)
class Run:
    """One end-to-end run: its size label, the input format and the measured figures."""

    label: str
    input_format: str
    wall: float
    cpu: float
    peak_mb: float
    rules: tuple[RuleFigure, ...]


def rule_figure(log: Path) -> RuleFigure | None:
    """The last "done in" line of a rule log (the whole process when one log holds several
    steps), or None when the job did not finish (or predates the line)."""
    found = None
    for line in log.read_text(errors="replace").splitlines():
        match = DONE.match(line)
        if match:
            found = match
    if found is None:
        return None
    return RuleFigure(
        log.stem,
        float(found["seconds"]),
        None if found["cpu"] is None else float(found["cpu"]),
        float(found["mb"]),
        datetime.strptime(found["stamp"], "%Y-%m-%d %H:%M:%S"),
    )


def rule_figures(logs: Path) -> tuple[RuleFigure, ...]:
    """Every finished rule of a run directory's ``logs/``, in the order they finished."""
    figures = [figure for log in sorted(logs.glob("*.log")) if (figure := rule_figure(log))]
    return tuple(sorted(figures, key=lambda figure: (figure.finished, figure.rule)))


def machine() -> str:
    """The machine as the table's caption names it: core count and CPU model."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        model = names[0] if names else model
    return f"{os.cpu_count()} cores ({model})"


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 100 else f"{value:.1f} s"


def _memory(mb: float) -> str:
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def _rule_cell(figure: RuleFigure) -> str:
    cpu = "" if figure.cpu is None else f" (CPU {_seconds(figure.cpu)})"
    return f"{_seconds(figure.seconds)}{cpu}, {_memory(figure.peak_mb)}"


def markdown(runs: Sequence[Run], cores: int, where: str) -> str:
    """The benchmark table: one column per run, one row per rule (wall, CPU, peak memory),
    then the end-to-end wall and CPU time and the largest process."""
    rules = list(dict.fromkeys(figure.rule for run in runs for figure in run.rules))
    lines = [
        f"Machine: {where}; `snakemake --cores {cores}`, cold runs. Per rule: wall time of the rule's "
        "process from its start (imports included), its CPU time and its peak resident memory.",
        "",
        "| | " + " | ".join(run.label for run in runs) + " |",
        "|---|" + "---|" * len(runs),
        "| input | " + " | ".join(run.input_format for run in runs) + " |",
    ]
    for rule in rules:
        cells = []
        for run in runs:
            figure = next((f for f in run.rules if f.rule == rule), None)
            cells.append("-" if figure is None else _rule_cell(figure))
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    lines.append(
        "| **end to end** | "
        + " | ".join(f"**{_seconds(run.wall)}** (CPU {_seconds(run.cpu)})" for run in runs)
        + " |"
    )
    lines.append(
        "| **largest process** | " + " | ".join(f"**{_memory(run.peak_mb)}**" for run in runs) + " |"
    )
    return "\n".join(lines)


def parse_size(text: str) -> int | None:
    """A size argument: ``demo`` (None) or a number of libraries (``5000``, ``5,000``)."""
    if text.lower() == "demo":
        return None
    libraries = int(text.replace(",", "").replace("_", ""))
    if libraries < 4:
        raise argparse.ArgumentTypeError(f"{text}: at least 4 libraries (2 cases, 1 control, 1 hemolysed)")
    return libraries


def size_label(libraries: int | None) -> str:
    """A run's column heading: the number of libraries (the demo's from its sample sheet)."""
    if libraries is None:
        sheet = ROOT / yaml.safe_load(DEMO_CONFIG.read_text())["samples"]
        rows = [line for line in sheet.read_text().splitlines() if line.strip() and not line.startswith("#")]
        return f"demo ({len(rows) - 1})"
    return f"{libraries:,}"


def input_format(libraries: int | None, choice: str) -> str:
    """``xlsx`` or ``matrix``: ``auto`` takes the workbook while it can hold the cohort."""
    if choice != "auto":
        if choice == "xlsx" and libraries is not None and libraries > MAX_WORKBOOK_LIBRARIES:
            raise SystemExit(
                f"a workbook holds at most {MAX_WORKBOOK_LIBRARIES:,} libraries; use --input matrix"
            )
        return choice
    return "xlsx" if libraries is None or libraries <= MAX_WORKBOOK_LIBRARIES else "matrix"


def write_cohort(libraries: int, directory: Path, fmt: str, seed: int) -> tuple[Path, Path]:
    """Simulate ``libraries`` libraries (half cases; one hemolysed donor) and write the counts
    (workbook or TSV matrix of the UMI columns, miRNAs then piRNAs) and the sample sheet."""
    sys.path.insert(0, str(ROOT / "resources" / "demo"))
    import simulate_demo

    cases = libraries // 2
    cohort = simulate_demo.simulate_cohort(
        simulate_demo.load_mirnome(ROOT / simulate_demo.DEFAULT_MIRBASE),
        cases,
        libraries - cases - 1,
        1,
        seed,
    )
    samples = directory / "samples.tsv"
    simulate_demo.write_sample_sheet(cohort, samples)
    if fmt == "xlsx":
        counts = directory / "counts.xlsx"
        simulate_demo.write_geneglobe_workbook(cohort, counts)
    else:
        import pandas as pd

        counts = directory / "counts.tsv"
        detected = cohort.umis.loc[(cohort.umis > 0).any(axis=1)]
        pd.concat([detected, cohort.pirna_umis]).rename_axis("miRNA").to_csv(
            counts, sep="\t", lineterminator="\n"
        )
    return counts, samples


def write_config(directory: Path, counts: Path, samples: Path, fmt: str) -> Path:
    """The demo config with this cohort's files and no validation section."""
    config = yaml.safe_load(DEMO_CONFIG.read_text())
    config.pop("validation", None)
    config["samples"] = str(samples)
    config["counts"] = {
        **config["counts"],
        "path": str(counts),
        "format": "matrix" if fmt == "matrix" else "auto",
    }
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def demo_config(checkout: Path, directory: Path, validation: bool) -> Path:
    """The bundled demo config of ``checkout`` (its own keys: an earlier commit's schema
    may lack later ones), its input paths made absolute, written into ``directory``; without
    its validation section unless ``validation``."""
    config = yaml.safe_load((checkout / "config" / "config.yaml").read_text())
    config["samples"] = str(checkout / config["samples"])
    config["counts"]["path"] = str(checkout / config["counts"]["path"])
    if validation and "validation" in config:
        part = config["validation"]
        part["samples"] = str(checkout / part["samples"])
        part["counts"]["path"] = str(checkout / part["counts"]["path"])
    else:
        config.pop("validation", None)
    directory.mkdir(parents=True)
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def timed(command: Sequence[str], log: Path, cwd: Path) -> tuple[float, float, float]:
    """Run a command with its output in ``log``: wall seconds, CPU seconds (user + system, all
    its processes) and the peak resident memory (MB) of its largest process; stops on failure."""
    start = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise SystemExit(f"{' '.join(command)} failed (exit {process.returncode}); end of {log}:\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def snakemake(repo: Path, directory: Path, config: Path, cores: int, *options: str) -> list[str]:
    """The snakemake command line of a run in ``directory`` (``--configfile`` last: it takes
    the rest of the line); the checkout's ``workflow/Snakefile``, or its root ``Snakefile``
    (checkouts from before the workflow moved to ``workflow/``)."""
    snakefile = repo / "workflow" / "Snakefile"
    return [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(snakefile if snakefile.exists() else repo / "Snakefile"),
        "--cores",
        str(cores),
        "--directory",
        str(directory),
        *options,
        "--configfile",
        str(config),
    ]


def prepare(
    libraries: int | None,
    directory: Path,
    fmt: str,
    seed: int,
    cache: Path | None = None,
) -> Path:
    """A run directory's config and its cohort: the bundled demo's files, or simulated into
    the run directory, or into ``cache`` (kept there and reused: a large workbook takes
    minutes to write)."""
    directory.mkdir(parents=True)
    if libraries is None:
        demo = yaml.safe_load(DEMO_CONFIG.read_text())
        return write_config(directory, ROOT / demo["counts"]["path"], ROOT / demo["samples"], fmt)
    if cache is None:
        return write_config(directory, *write_cohort(libraries, directory, fmt, seed), fmt)
    cohort = cache / f"{libraries}-{fmt}-seed{seed}"
    if not cohort.exists():
        partial = Path(tempfile.mkdtemp(prefix=f"{cohort.name}.", dir=cache))
        write_cohort(libraries, partial, fmt, seed)
        partial.rename(cohort)
    counts = cohort / ("counts.xlsx" if fmt == "xlsx" else "counts.tsv")
    return write_config(directory, counts, cohort / "samples.tsv", fmt)


def benchmark(
    sizes: Sequence[int | None],
    scratch: Path,
    cores: int,
    choice: str,
    seed: int,
    repo: Path,
    cache: Path | None = None,
) -> list[Run]:
    """Run the workflow cold on each cohort size and collect its figures."""
    runs = []
    for libraries in sizes:
        fmt = input_format(libraries, choice)
        directory = scratch / ("demo" if libraries is None else str(libraries))
        print(f"{size_label(libraries)}: preparing the cohort ({fmt}) in {directory}", file=sys.stderr)
        config = prepare(libraries, directory, fmt, seed, cache)
        print(f"{size_label(libraries)}: running the workflow", file=sys.stderr)
        wall, cpu, peak = timed(snakemake(repo, directory, config, cores), directory / "snakemake.log", ROOT)
        runs.append(Run(size_label(libraries), fmt, wall, cpu, peak, rule_figures(directory / "logs")))
        print(f"{size_label(libraries)}: {wall:.1f} s wall, largest process {_memory(peak)}", file=sys.stderr)
    return runs


def paired_r(
    pairs: int,
    scratch: Path,
    cores: int,
    repo: Path,
    r_script: Path,
    analysis_only: bool = False,
    baseline: Path | None = None,
) -> str:
    """``pairs`` alternating runs of the workflow on the demo (the ``repo`` checkout's bundled
    config, discovery and validation, ``--forceall``; only :data:`R_EQUIVALENT` when
    ``analysis_only``), of the ``baseline`` checkout's workflow on its own bundled demo config
    when given, and of the equivalent R script on the same counts; the median ratios
    workflow / R (and workflow / baseline)."""
    rscript = shutil.which("Rscript")
    if rscript is None or not r_script.exists():
        missing = "Rscript is not installed" if rscript is None else f"{r_script} does not exist"
        return f"paired runs against R skipped: {missing}"
    directory = scratch / "paired"
    config = demo_config(repo, directory, validation=not analysis_only)
    settings = yaml.safe_load(config.read_text())
    sheet = directory / "sheet_without_comments.tsv"
    lines = Path(settings["samples"]).read_text().splitlines(keepends=True)
    sheet.write_text("".join(line for line in lines if not line.startswith("#")))
    pfs = settings["survival"]["endpoints"]["PFS"]
    contrast = settings["contrast"]
    r_command = [
        rscript,
        str(r_script),
        str(directory / "results" / "counts" / "raw.tsv"),
        str(sheet),
        contrast["column"],
        contrast["case"],
        contrast["control"],
        pfs["time"],
        pfs["event"],
        str(pfs["landmark"]),
    ]
    targets = R_EQUIVALENT if analysis_only else ()
    workflow_times, r_times, baseline_times = [], [], []
    for pair in range(pairs):
        said = []
        if baseline is not None:
            other = scratch / f"baseline-{pair}"
            other_config = demo_config(baseline, other, validation=not analysis_only)
            wall, cpu, _ = timed(
                snakemake(baseline, other, other_config, cores, "--forceall", *targets),
                other / "snakemake.log",
                ROOT,
            )
            baseline_times.append((wall, cpu))
            said.append(f"baseline {wall:.1f} s")
        wall, cpu, _ = timed(
            snakemake(repo, directory, config, cores, "--forceall", *targets),
            directory / "snakemake.log",
            ROOT,
        )
        workflow_times.append((wall, cpu))
        r_wall, r_cpu, _ = timed(r_command, directory / "r.log", directory)
        r_times.append((r_wall, r_cpu))
        r_said = (directory / "r.log").read_text().strip().splitlines()[-1:]
        print(
            f"pair {pair + 1}: workflow {wall:.1f} s, {''.join(f'{x}, ' for x in said)}R {r_wall:.1f} s "
            f"({' '.join(r_said)})",
            file=sys.stderr,
        )
    summary = paired_summary(workflow_times, r_times, cores, machine(), analysis_only)
    if baseline is not None:
        summary += "\n\n" + baseline_summary(workflow_times, baseline_times, r_times, baseline)
    return summary


def baseline_summary(
    workflow_times: Sequence[tuple[float, float]],
    baseline_times: Sequence[tuple[float, float]],
    r_times: Sequence[tuple[float, float]],
    baseline: Path,
) -> str:
    """The baseline checkout's medians beside this one's, and the median ratios of the pairs."""
    pairs = list(zip(workflow_times, baseline_times, strict=True))
    ratio = statistics.median(w[0] / b[0] for w, b in pairs)
    cpu_ratio = statistics.median(w[1] / b[1] for w, b in pairs)
    to_r = statistics.median(b[0] / r[0] for b, r in zip(baseline_times, r_times, strict=True))
    return "\n".join(
        [
            f"Baseline {baseline} in the same pairs:",
            "",
            "| | this checkout | baseline | ratio (median of pairs) |",
            "|---|---|---|---|",
            f"| wall | {statistics.median(w[0] for w in workflow_times):.1f} s "
            f"| {statistics.median(b[0] for b in baseline_times):.1f} s | **{ratio:.2f}** |",
            f"| CPU | {statistics.median(w[1] for w in workflow_times):.1f} s "
            f"| {statistics.median(b[1] for b in baseline_times):.1f} s | "
            f"{cpu_ratio:.2f} |",
            f"| baseline / R (wall) | | | {to_r:.2f} |",
        ]
    )


def paired_summary(
    workflow_times: Sequence[tuple[float, float]],
    r_times: Sequence[tuple[float, float]],
    cores: int,
    where: str,
    analysis_only: bool = False,
) -> str:
    """Medians of the paired (wall, CPU) times and of the per-pair ratios workflow / R."""
    wall_ratio = statistics.median(w[0] / r[0] for w, r in zip(workflow_times, r_times, strict=True))
    cpu_ratio = statistics.median(w[1] / r[1] for w, r in zip(workflow_times, r_times, strict=True))
    what = "the tables the R script computes" if analysis_only else "discovery and validation"
    return "\n".join(
        [
            f"Demo, paired runs (pairs: {len(workflow_times)}) on {where}: `snakemake --cores {cores} "
            f"--forceall` ({what}) vs "
            "`Rscript equivalent_analysis.R` on the same counts:",
            "",
            "| | workflow | R | ratio (median of pairs) |",
            "|---|---|---|---|",
            f"| wall | {statistics.median(w[0] for w in workflow_times):.1f} s "
            f"| {statistics.median(r[0] for r in r_times):.1f} s | **{wall_ratio:.2f}** |",
            f"| CPU | {statistics.median(w[1] for w in workflow_times):.1f} s "
            f"| {statistics.median(r[1] for r in r_times):.1f} s | {cpu_ratio:.2f} |",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bin/benchmark", description=__doc__.splitlines()[0])
    parser.add_argument(
        "sizes",
        nargs="*",
        type=parse_size,
        default=[None, 1000],
        help="cohort sizes in libraries, or 'demo' (default: demo 1000)",
    )
    parser.add_argument("--cores", type=int, default=os.cpu_count(), help="snakemake --cores (default: all)")
    parser.add_argument(
        "--input",
        choices=("auto", "xlsx", "matrix"),
        default="auto",
        help=f"count table format (auto: a GeneGlobe workbook up to {MAX_WORKBOOK_LIBRARIES:,} "
        "libraries, else a TSV matrix)",
    )
    parser.add_argument("--seed", type=int, default=20240525, help="simulator seed")
    parser.add_argument("--scratch", type=Path, help="directory for the runs (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (default: remove it)")
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep simulated cohorts in this directory and reuse them (default: simulate each time)",
    )
    parser.add_argument(
        "--repo", type=Path, default=ROOT, help="checkout whose Snakefile runs (default: this one)"
    )
    parser.add_argument(
        "--paired-r",
        type=int,
        metavar="N",
        help="instead: N paired runs of the workflow and the R script on the demo; the median ratio",
    )
    parser.add_argument("--r-script", type=Path, default=R_SCRIPT, help="the equivalent R script")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="with --paired-r: also run this checkout (e.g. a worktree of an earlier commit) in each pair",
    )
    parser.add_argument(
        "--analysis-only",
        action="store_true",
        help="with --paired-r: the workflow makes only the tables the R script computes (no figures, "
        "panel, lock, checklist or provenance)",
    )
    args = parser.parse_args(argv)
    if args.scratch is not None and args.scratch.exists():
        parser.error(f"--scratch {args.scratch} exists: give a new directory (runs are cold)")
    scratch = (args.scratch or Path(tempfile.mkdtemp(prefix="mirflow-benchmark-"))).resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        if args.paired_r:
            print(
                paired_r(
                    args.paired_r,
                    scratch,
                    args.cores,
                    args.repo.resolve(),
                    args.r_script,
                    args.analysis_only,
                    args.baseline.resolve() if args.baseline else None,
                )
            )
        else:
            cache = args.cache.resolve() if args.cache is not None else None
            if cache is not None:
                cache.mkdir(parents=True, exist_ok=True)
            runs = benchmark(
                args.sizes, scratch, args.cores, args.input, args.seed, args.repo.resolve(), cache
            )
            print(markdown(runs, args.cores, machine()))
    finally:
        if args.keep:
            print(f"runs kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
