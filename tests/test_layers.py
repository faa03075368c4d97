"""Honest layers: the product does not import evaluation code, and the synthetic estate
generator imports nothing of ours (test data never depends on the code it tests)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = ("api", "assistant", "evals", "redaction", "retrieval")
#: The command-line entries whose job is evaluation: they may import ``evals``.
EVAL_COMMANDS = {"api/commands/evals.py", "api/commands/estate.py"}


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_product_code_never_imports_evals() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("api", "assistant", "redaction", "retrieval")
        for path in sorted((ROOT / package).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in EVAL_COMMANDS and "evals" in _imported_roots(path)
    ]
    assert offenders == []


def test_estate_generator_source_imports_nothing_of_ours() -> None:
    for path in sorted((ROOT / "evals" / "estate").rglob("*.py")):
        ours = _imported_roots(path) & set(OURS) - {"evals"}
        assert not ours, f"{path.name} imports {sorted(ours)}"


def test_importing_and_running_the_generator_loads_nothing_of_ours(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from evals.estate import generate_estate\n"
        f"generate_estate({str(tmp_path / 'estate')!r}, families=1, seed=3)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {OURS!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "evals.estate" in loaded
    others = [name for name in loaded if name != "evals" and not name.startswith("evals.estate")]
    assert others == []
