# Shared set-up: the library on sys.path, the sample sheet checked before any job runs.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "workflow" / "scripts"))

from mirflow.errors import InputError  # noqa: E402
from mirflow.steps import count_paths, load_sheet  # noqa: E402

ENV = "../../environment.yml"
# Bundled resources live beside the Snakefile, wherever snakemake runs.
MIRBASE = {
    version: str(
        Path(workflow.basedir) / f"resources/mirbase/mirbase_{version}_hsa.csv"
    )
    for version in ("v21", "v22")
}

try:
    SHEET, LABELS = load_sheet(config)
    COUNT_FILES = [str(p) for p in count_paths(config)]
except InputError as error:
    raise WorkflowError(str(error)) from None
validate(SHEET.reset_index(), "../schemas/samples.schema.yaml")


def figure(name):
    """PNG and PDF paths of one figure in results/figures/."""
    return multiext(f"results/figures/{name}", ".png", ".pdf")
