"""The checks check themselves: each kind of breakage fails its check with a message that
names the file (and the cell or line).

Each test breaks something in a temporary copy and runs the real check on it, the way CI
would: nbval in a pytest subprocess, the examples runner, the Markdown-block check in a
pytest subprocess, and the strict MkDocs build.

The planted notebooks share one nbval subprocess, and the planted pages one run of the
Markdown-block check (session fixtures, run by whichever xdist worker asks first): a
pytest subprocess costs seconds to start, and each test still reads its own file's result
(its outcome from the run's JUnit report, its failure text from the run's output).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from filelock import FileLock

from support import ROOT, build_site
from test_examples import check_example

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_pytest(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    result.stdout = ANSI.sub("", result.stdout)
    return result


def nbval(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """nbval exactly as `nox -s notebooks` runs it, rooted at the notebook's folder."""
    folder = target if target.is_dir() else target.parent
    sanitize = ROOT / "tests" / "sanitize.cfg"
    return run_pytest(
        [
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(sanitize),
            "--rootdir",
            ".",
            "-c",
            os.devnull,
            *args,
            "." if target.is_dir() else target.name,
        ],
        cwd=folder,
    )


def write_notebook(path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@dataclass(frozen=True)
class Run:
    """One pytest subprocess over several planted files: each test reads its own part."""

    stdout: str
    outcomes: dict[str, str]  # node id -> passed / failed / error / skipped

    def of(self, file: str) -> dict[str, str]:
        """The outcomes of the tests of one file (nbval: its cells; blocks: its blocks)."""
        return {node: outcome for node, outcome in self.outcomes.items() if file in node}

    def failure(self, node: str) -> str:
        """The failure section pytest printed for one test (empty if none)."""
        match = re.search(rf"^_+ {re.escape(node)} _+$(.*?)(?=^_{{3,}} |^=+ )", self.stdout, re.M | re.S)
        return match.group(1) if match else ""


OUTCOMES = {"failure": "failed", "error": "error", "skipped": "skipped"}


def junit_outcomes(report: Path) -> dict[str, str]:
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        kinds = [OUTCOMES[child.tag] for child in case if child.tag in OUTCOMES]
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = kinds[0] if kinds else "passed"
    return outcomes


def shared_run(shared_tmp: Path, name: str, make) -> Run:
    """make(folder) -> (stdout, junit report), run once per test run by whichever worker asks first."""
    done = shared_tmp / f"{name}.json"
    with FileLock(shared_tmp / f"{name}.lock"):
        if not done.exists():
            folder = shared_tmp / name
            folder.mkdir()
            stdout, report = make(folder)
            done.write_text(json.dumps({"stdout": stdout, "outcomes": junit_outcomes(report)}), encoding="utf-8")
    saved = json.loads(done.read_text(encoding="utf-8"))
    return Run(saved["stdout"], saved["outcomes"])


ERROR = nbformat.v4.new_output("error", ename="RuntimeError", evalue="boom", traceback=[])
PLANTED_NOTEBOOKS = {
    "broken-cell.ipynb": [
        nbformat.v4.new_code_cell("x = 1", execution_count=1),
        nbformat.v4.new_code_cell("raise RuntimeError('boom')", execution_count=2),
    ],
    "stale-output.ipynb": [  # the code prints 2
        nbformat.v4.new_code_cell(
            "print(1 + 1)", execution_count=1, outputs=[nbformat.v4.new_output("stream", name="stdout", text="3\n")]
        )
    ],
    "numbering.ipynb": [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("x = 1", execution_count=1),
        nbformat.v4.new_markdown_cell("Some prose between the cells."),
        nbformat.v4.new_code_cell("raise RuntimeError('boom')", execution_count=2, outputs=[ERROR]),
    ],
}


@pytest.fixture(scope="session")
def planted_nbval(shared_tmp: Path) -> Run:
    """nbval over the planted notebooks and a healthy copy of tutorial 1, in one subprocess."""

    def make(folder: Path):
        for name, cells in PLANTED_NOTEBOOKS.items():
            write_notebook(folder / name, cells)
        shutil.copy(ROOT / "tutorials" / "01-first-steps.ipynb", folder / "01-first-steps.ipynb")
        result = nbval(folder, "--junitxml", "report.xml")
        return result.stdout, folder / "report.xml"

    return shared_run(shared_tmp, "planted-nbval", make)


def test_a_failing_notebook_cell_fails_nbval_naming_file_and_cell(planted_nbval: Run):
    assert planted_nbval.of("broken-cell.ipynb") == {
        "broken-cell.ipynb::Cell 0": "passed",
        "broken-cell.ipynb::Cell 1": "failed",
    }, planted_nbval.stdout
    assert "FAILED broken-cell.ipynb::Cell 1" in planted_nbval.stdout
    assert "RuntimeError" in planted_nbval.failure("broken-cell.ipynb::Cell 1")


def test_a_stale_stored_output_fails_nbval_naming_file_and_cell(planted_nbval: Run):
    assert planted_nbval.of("stale-output.ipynb") == {"stale-output.ipynb::Cell 0": "failed"}, planted_nbval.stdout
    assert "FAILED stale-output.ipynb::Cell 0" in planted_nbval.stdout
    assert "Cell outputs differ" in planted_nbval.failure("stale-output.ipynb::Cell 0")


def test_the_real_notebooks_pass_the_same_nbval_invocation(planted_nbval: Run):
    # Guards the tests above and below: the invocation they use accepts a healthy notebook.
    cells = planted_nbval.of("01-first-steps.ipynb")
    tutorial = nbformat.read(ROOT / "tutorials" / "01-first-steps.ipynb", as_version=4)
    code_cells = sum(cell["cell_type"] == "code" for cell in tutorial.cells)
    assert len(cells) == code_cells and set(cells.values()) == {"passed"}, planted_nbval.stdout


def test_an_example_that_raises_fails_naming_the_file(tmp_path):
    example = tmp_path / "examples" / "raises.py"
    example.parent.mkdir()
    example.write_text("raise SystemExit('bad configuration')\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_example(example)
    message = str(failure.value)
    assert "examples/raises.py exited with status 1" in message
    assert "bad configuration" in message


def test_an_example_whose_output_changed_fails_with_a_diff(tmp_path):
    example = tmp_path / "examples" / "drifted.py"
    example.parent.mkdir()
    example.write_text("print('hello, world')\n", encoding="utf-8")
    example.with_suffix(".out").write_text("hello\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_example(example)
    assert "examples/drifted.py: output differs from drifted.out" in str(failure.value)
    assert "+hello, world" in str(failure.value)


PLANTED_PAGES = {
    "failing.md": "# Page\n\nSome text.\n\n```python\nimport fapilog\nassert fapilog\n1 / 0\n```\n",
    "stale-pin.md": '# Page\n\n```python\nprint("actual")\n#> pinned\n```\n',
    **{
        f"fence-{fence}.md": f"# Page\n\n{fence}python\nassert True\n1 / 0\n{fence}\n"
        for fence in ("````", "~~~", "~~~~~")
    },
    "proves-nothing.md": "",  # PAGE with PROVES_NOTHING below
}
PROVES_NOTHING = '```python\nfrom fapilog import get_logger\n\nlog = get_logger("app")\nlog.info("hello")\n```'


@pytest.fixture(scope="session")
def planted_blocks(shared_tmp: Path) -> Run:
    """The Markdown-block check (tests/test_markdown_blocks.py) over the planted pages, in one run."""

    def make(folder: Path):
        pages = []
        for name, text in PLANTED_PAGES.items():
            page = folder / name
            page.write_text(text or PAGE.format(body=PROVES_NOTHING), encoding="utf-8")
            pages.append(str(page))
        report = folder / "report.xml"
        result = run_pytest(
            [str(ROOT / "tests" / "test_markdown_blocks.py"), "--rootdir", str(ROOT), "--junitxml", str(report)],
            cwd=ROOT,
            env={"HUB_MARKDOWN_ROOTS": os.pathsep.join(pages)},
        )
        return result.stdout, report

    return shared_run(shared_tmp, "planted-blocks", make)


def block(run: Run, block_id: str) -> tuple[str, str]:
    """The outcome and failure text of the check of one planted block."""
    node = f"tests.test_markdown_blocks::test_python_block_runs[{block_id}]"
    assert node in run.outcomes, f"{block_id} was not checked: {sorted(run.outcomes)}"
    return run.outcomes[node], run.failure(f"test_python_block_runs[{block_id}]")


def test_a_failing_markdown_block_fails_naming_file_and_line(planted_blocks: Run):
    outcome, failure = block(planted_blocks, "failing.md:5")
    assert outcome == "failed", planted_blocks.stdout
    assert "ZeroDivisionError" in failure
    assert "failing.md:5: the block failed" in failure  # where the block starts
    assert 'failing.md", line 8' in failure  # the failing line, as the page numbers it


def test_a_stale_pinned_output_fails_naming_file_and_line(planted_blocks: Run):
    outcome, failure = block(planted_blocks, "stale-pin.md:3")
    assert outcome == "failed", planted_blocks.stdout
    assert "stale-pin.md:3: printed output differs from the block's #> lines" in failure
    assert "-pinned" in failure and "+actual" in failure


def test_the_markdown_block_check_saw_every_planted_page_and_nothing_else(planted_blocks: Run):
    # Guards the block tests: one run, one block per planted page, each failing on its own.
    blocks = {node: o for node, o in planted_blocks.outcomes.items() if "test_python_block_runs[" in node}
    assert len(blocks) == len(PLANTED_PAGES) and set(blocks.values()) == {"failed"}, planted_blocks.stdout
    assert planted_blocks.outcomes["tests.test_markdown_blocks::test_markdown_pages_have_python_blocks"] == "passed"


def test_a_broken_link_fails_the_strict_build_naming_the_page(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    page = docs / "getting-started.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing page](no-such-page.md).\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - hub/mkdocs_hooks.py", f"  - {(ROOT / 'hub' / 'mkdocs_hooks.py').as_posix()}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {(ROOT / 'overrides').as_posix()}")
    text = re.sub(r"(?m)^watch:\n(  - .*\n)+", "", text)
    config.write_text(f"docs_dir: {docs.as_posix()}\n" + text, encoding="utf-8")
    build = build_site(tmp_path / "site", config=config)
    assert build.returncode != 0
    assert "getting-started.md" in build.log and "no-such-page.md" in build.log, build.log


# ---------------------------------------------------------------- artefacts a reader copies
# hub.checks (run by the docs linter, so by tests/test_hub_docs_lint.py) on a temporary copy
# of what the checks read, with one planted mistake.


def artefact_repo(tmp_path: Path) -> Path:
    """A copy of the pages and of what the checks resolve names against."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name in ("pyproject.toml", "noxfile.py", "mkdocs.yml", ".pymarkdown.yml", ".codespellrc"):
        shutil.copy(ROOT / name, tmp_path / name)
    ignore = shutil.ignore_patterns("__pycache__", ".*cache", "*.egg-info", "build")
    for folder in ("docs", "registry/plugins", "examples", "packages"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=ignore)
    return tmp_path


PAGE = "---\ntitle: Planted\ndescription: A page with one planted mistake.\n---\n\n# Planted\n\n{body}\n"
BODY_LINE = 8  # the line of the page where {body} starts


def planted_problems(tmp_path: Path, body: str, name: str = "docs/planted.md") -> list[str]:
    from hub import checks

    repo = artefact_repo(tmp_path)
    page = repo / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(PAGE.format(body=body) if name.endswith(".md") else body, encoding="utf-8")
    # Only the planted file is checked; names still resolve against the whole copy (the
    # test below shows that checking one file reports what the whole-site check does).
    return [str(p) for p in checks.run(repo, only={name})]


def test_checking_one_file_reports_what_the_whole_site_check_reports_for_it(tmp_path):
    # Guards planted_problems' `only`: it narrows what is checked, never what is found.
    from hub import checks

    body = (
        '```bash\npip install "fapilog[postgress]"\nexport FAPILOG_SERVCE=x\n```\n\n'
        "Set `core.log_levl` to `DEBUG`; see `fapilog.sink`.\n\n```python\nassert True\n````"
    )
    repo = artefact_repo(tmp_path)
    (repo / "docs" / "planted.md").write_text(PAGE.format(body=body), encoding="utf-8")
    whole = [str(p) for p in checks.run(repo) if p.path == "docs/planted.md"]
    assert len(whole) >= 4, whole  # one per planted mistake at least
    assert [str(p) for p in checks.run(repo, only={"docs/planted.md"})] == whole


def test_the_planted_page_without_a_mistake_passes(tmp_path):
    # Guards the tests below: each names docs/planted.md because of its planted mistake,
    # not because of the page around it. (The real pages: tests/test_hub_docs_lint.py.)
    problems = planted_problems(tmp_path, "Nothing planted.")
    assert [p for p in problems if p.startswith("docs/planted.md")] == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '```bash\npip install "fapilog[postgress]"\n```',
            "docs/planted.md:9: command fapilog[postgress]: fapilog has no extra 'postgress'",
            id="misspelt extra",
        ),
        pytest.param(
            "Install it with `pip install fapilog==0.17.0`.",
            "docs/planted.md:8: command fapilog==0.17.0: the site is verified against fapilog",
            id="version against the pin",
        ),
        pytest.param(
            "```console\npython -m pip install fapilog-sqlit\n```",
            "docs/planted.md:9: command fapilog-sqlit: 'fapilog-sqlit' is not fapilog, a registry plugin",
            id="unknown package",
        ),
        pytest.param(
            '```bash\npip install "fapilog-sqlite @ git+https://github.com/fapilog/fapilog-hub'
            '#subdirectory=examples/plugins/fapilog-pii-text"\n```',
            "docs/planted.md:9: command fapilog-sqlite @ git+https://github.com/fapilog/fapilog-hub"
            "#subdirectory=examples/plugins/fapilog-pii-text: examples/plugins/fapilog-pii-text does not hold",
            id="subdirectory of this repository",
        ),
        pytest.param(
            "```bash\nnox -s docs  # build\nnox -s doc-lint\n```",
            "docs/planted.md:10: command nox -s doc-lint: noxfile.py has no session 'doc-lint'",
            id="nox session",
        ),
        pytest.param(
            "Run `python -m hub.docslint`.",
            "docs/planted.md:8: command python -m hub.docslint:",
            id="python -m module",
        ),
    ],
)
def test_a_broken_install_or_run_command_fails_naming_file_and_line(tmp_path, body, expected):
    problems = planted_problems(tmp_path, body)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "| variable | meaning |\n|---|---|\n| `FAPILOG_CORE__LOG_LEVL` | the level |",
            "docs/planted.md:10: fapilog-env FAPILOG_CORE__LOG_LEVL is not a variable fapilog reads",
            id="misspelt variable in a table",
        ),
        pytest.param(
            "```bash\nexport FAPILOG_SERVCE=checkout\n```",
            "docs/planted.md:9: fapilog-env FAPILOG_SERVCE is not a variable fapilog reads",
            id="misspelt special variable",
        ),
        pytest.param(
            "Set core.log_levl to DEBUG for more detail.",
            "docs/planted.md:8: fapilog-setting 'core.log_levl': core has no field 'log_levl'",
            id="settings path in prose without backticks",
        ),
        pytest.param(
            '```python\nfrom fapilog.core.settings import CoreSettings\n\ncore = CoreSettings(log_levl="DEBUG")\n'
            "assert core\n```",
            "docs/planted.md:11: fapilog-setting 'core.log_levl'",
            id="field of a settings class",
        ),
        pytest.param(
            "Set `core.log_levl` to `DEBUG`.",
            "docs/planted.md:8: fapilog-setting 'core.log_levl': core has no field 'log_levl'; did you mean",
            id="settings path in prose",
        ),
    ],
)
def test_a_misspelt_setting_name_fails_naming_file_and_line(tmp_path, body, expected):
    problems = planted_problems(tmp_path, body)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '```python\nfrom fapilog import Settings\n\nsettings = Settings(\n    core={"sinks": ["rotating_file"]},\n'
            '    sink_config={"rotating_file": {"max_byte": 1024}},\n)\nassert settings\n```',
            "docs/planted.md:11: fapilog-setting 'sink_config.rotating_file.max_byte'",
            id="sink key in Settings(...)",
        ),
        pytest.param(
            '```python\nconfig = {"filter_config": {"level": {"min_levl": "WARNING"}}}\nassert config\n```',
            "docs/planted.md:9: fapilog-setting 'filter_config.level.min_levl': the level plugin's configuration",
            id="filter key in a dict",
        ),
        pytest.param(
            "```bash\nexport FAPILOG_SINK_CONFIG__ROTATING_FILE__DIRECTRY=/var/log/app\n```",
            "docs/planted.md:9: fapilog-env FAPILOG_SINK_CONFIG__ROTATING_FILE__DIRECTRY",
            id="sink key in an environment variable",
        ),
        pytest.param(
            '```yaml\nredactor_config:\n  field_mask:\n    fields: ["password"]\n```',
            "docs/planted.md:9: fapilog-setting 'redactor_config.field_mask.fields'",
            id="redactor key in YAML",
        ),
    ],
)
def test_a_plugin_config_key_fapilog_ignores_fails_naming_file_and_line(tmp_path, body, expected):
    problems = planted_problems(tmp_path, body)
    assert any(p.startswith(expected) for p in problems), problems


def test_asgi_message_types_are_not_read_as_http_settings(tmp_path):
    # An ASGI middleware compares message["type"] with "http.request"; fapilog has an `http`
    # settings group, so the name search must not read these as settings paths. A real
    # misspelt path on the same line still is.
    body = '```python\nmessage = {"type": "http.response.body"}\nassert message["type"] != "http.request"\n```'
    assert [p for p in planted_problems(tmp_path, body) if p.startswith("docs/planted.md")] == []
    wrong = body.replace('"http.request"', '"http.request" or "http.endpont"')
    problems = planted_problems(tmp_path / "2", wrong)
    assert any(p.startswith("docs/planted.md:10: fapilog-setting 'http.endpont'") for p in problems), problems


def test_a_misspelt_plugin_name_fails_naming_file_and_line(tmp_path):
    body = (
        '```python\nfrom fapilog import Settings\n\nsettings = Settings(core={"redactors": ["field_msk"]})\n'
        "assert settings\n```"
    )
    problems = planted_problems(tmp_path, body)
    expected = "docs/planted.md:11: fapilog-plugin core.redactors names 'field_msk', which is not a fapilog.redactors"
    assert any(p.startswith(expected) for p in problems), problems


def test_a_plugin_config_key_in_an_example_program_fails_naming_file_and_line(tmp_path):
    program = 'from fapilog import Settings\n\nSettings(\n    enricher_config={"runtime_info": {"service": "x"}},\n)\n'
    problems = planted_problems(tmp_path, program, name="examples/planted.py")
    expected = "examples/planted.py:3: fapilog-setting 'enricher_config.runtime_info.service'"
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '```toml\n[project.entry-points."fapilog.sink"]\nsqlite = "fapilog_sqlite:SqliteSink"\n```',
            "docs/planted.md:9: entry-point-group entry-point group 'fapilog.sink' is not one fapilog reads",
            id="wrong entry-point group",
        ),
        pytest.param(
            '```toml\n[project]\nname = "x"\n\n[project.entry_points."fapilog.sinks"]\nx = "x:X"\n```',
            "docs/planted.md:12: data-block [project] has no key 'entry_points'",
            id="pyproject entry_points",
        ),
        pytest.param(
            '```toml\n[project\nname = "x"\n```', "docs/planted.md:9: data-block TOML does not parse", id="broken TOML"
        ),
        pytest.param(
            "```yaml\nevents:\n  - title: [unclosed\n```",
            "docs/planted.md:11: data-block YAML does not parse",
            id="broken YAML",
        ),
        pytest.param(
            '```json\n{"plugins": [1, 2,]}\n```', "docs/planted.md:9: data-block JSON does not parse", id="broken JSON"
        ),
        pytest.param(
            "Filters register under the fapilog.filter group.",
            "docs/planted.md:8: entry-point-group entry-point group 'fapilog.filter' is not one fapilog reads",
            id="group in prose without backticks",
        ),
        pytest.param(
            "Register it under `fapilog.sink`.",
            "docs/planted.md:8: entry-point-group 'fapilog.sink' is neither an entry-point group",
            id="group in prose",
        ),
    ],
)
def test_a_broken_data_block_or_entry_point_group_fails_naming_file_and_line(tmp_path, body, expected):
    problems = planted_problems(tmp_path, body)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize("fence", ["````", "~~~", "~~~~~"])
def test_a_python_block_under_any_fence_is_run_and_fails_naming_file_and_line(planted_blocks: Run, fence):
    outcome, failure = block(planted_blocks, f"fence-{fence}.md:3")
    assert outcome == "failed", planted_blocks.stdout
    assert f"fence-{fence}.md:3: the block failed" in failure
    assert "ZeroDivisionError" in failure


def test_a_fence_closed_by_a_longer_fence_fails_naming_file_and_line(tmp_path):
    # CommonMark (and GitHub) close it; superfences does not, and the site shows text.
    problems = planted_problems(tmp_path, "```python\nassert True\n````")
    expected = "docs/planted.md:8: fence opened with ``` but closed with ````: superfences closes a fence"
    assert any(p.startswith(expected) for p in problems), problems


def test_a_python_block_that_proves_nothing_fails_naming_file_and_line(planted_blocks: Run, tmp_path):
    outcome, failure = block(planted_blocks, f"proves-nothing.md:{BODY_LINE}")
    assert outcome == "failed", planted_blocks.stdout
    assert f"proves-nothing.md:{BODY_LINE}: the block proves nothing" in failure
    # The docs linter says so too, before anything runs.
    problems = planted_problems(tmp_path, PROVES_NOTHING)
    assert any(p.startswith("docs/planted.md:8: python-block the block proves nothing") for p in problems), problems


def planted_notebook(cells: list[nbformat.NotebookNode]) -> str:
    nb = nbformat.v4.new_notebook(cells=cells)
    return nbformat.writes(nb)


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        pytest.param(
            "../docs/guides/troubleshooting.md",
            "a relative link is published as written and breaks on the site, in Colab and Binder; "
            "write https://fapilog.github.io/fapilog-hub/guides/troubleshooting/",
            id="relative .md link",
        ),
        pytest.param(
            "https://fapilog.github.io/fapilog-hub/guides/troubleshootin/",
            "the site has no page guides/troubleshootin/",
            id="missing page",
        ),
        pytest.param(
            "https://fapilog.github.io/fapilog-hub/guides/troubleshooting/#no-such-heading",
            "docs/guides/troubleshooting.md has no heading with id #no-such-heading",
            id="missing anchor",
        ),
    ],
)
def test_a_broken_link_in_a_notebook_markdown_cell_fails_naming_file_cell_and_line(tmp_path, link, expected):
    notebook = planted_notebook(
        [
            nbformat.v4.new_markdown_cell("# Planted"),
            nbformat.v4.new_code_cell("x = 1", execution_count=1),
            nbformat.v4.new_markdown_cell(f"## Next\n\nSee [the guide]({link})."),
        ]
    )
    problems = planted_problems(tmp_path, notebook, name="tutorials/planted.ipynb")
    where = 'tutorials/planted.ipynb: Markdown cell after Cell 0 ("## Next"), line 3: notebook-link'
    assert any(p.startswith(where) and expected in p for p in problems), problems


def test_a_misspelt_variable_in_a_notebook_code_cell_names_the_cell_as_nbval_does(tmp_path):
    notebook = planted_notebook(
        [
            nbformat.v4.new_markdown_cell("# Planted"),
            nbformat.v4.new_code_cell("import os", execution_count=1),
            nbformat.v4.new_code_cell('import os\n\nos.environ["FAPILOG_COER__LOG_LEVEL"] = "1"', execution_count=2),
        ]
    )
    problems = planted_problems(tmp_path, notebook, name="tutorials/planted.ipynb")
    expected = 'tutorials/planted.ipynb: Cell 1 ("import os"), line 3: fapilog-env FAPILOG_COER__LOG_LEVEL'
    assert any(p.startswith(expected) for p in problems), problems


def test_an_install_cell_against_the_pin_fails_naming_file_and_cell(tmp_path):
    install = (
        "import subprocess, sys\n"
        '_NEEDS = {"fapilog": "fapilog[fastapi]==0.18.0"}\n'
        'subprocess.check_call([sys.executable, "-m", "pip", "install", *_NEEDS.values()])'
    )
    notebook = planted_notebook([nbformat.v4.new_code_cell(install, execution_count=1)])
    problems = planted_problems(tmp_path, notebook, name="tutorials/planted.ipynb")
    expected = (
        'tutorials/planted.ipynb: Cell 0 ("import subprocess, sys"), line 2: command fapilog[fastapi]==0.18.0: '
        "the site is verified against fapilog"
    )
    assert any(p.startswith(expected) for p in problems), problems


def test_nbval_and_the_build_name_the_same_cell_with_its_first_line(planted_nbval: Run, tmp_path):
    from hub.notebooks import NotebookError, check_publishable

    assert "FAILED numbering.ipynb::Cell 1" in planted_nbval.stdout, planted_nbval.stdout
    failure = planted_nbval.failure("numbering.ipynb::Cell 1")
    assert "Input:\nraise RuntimeError('boom')" in failure, failure  # nbval shows the cell
    notebook = write_notebook(tmp_path / "numbering.ipynb", PLANTED_NOTEBOOKS["numbering.ipynb"])
    with pytest.raises(NotebookError) as refused:
        check_publishable(notebook, root=tmp_path)
    assert "numbering.ipynb: Cell 1 (\"raise RuntimeError('boom')\") stored an error" in str(refused.value)


def test_the_docs_linter_runs_the_artefact_checks(tmp_path):
    # The checks above are called directly; this is the wiring that puts them in the suite.
    from hub import docs_lint

    repo = artefact_repo(tmp_path)
    shutil.rmtree(repo / "docs")
    page = repo / "docs" / "planted.md"
    page.parent.mkdir()
    page.write_text(PAGE.format(body='```bash\npip install "fapilog[postgress]"\n```'), encoding="utf-8")
    found = [str(p) for p in docs_lint.lint(repo)]
    assert any(p.startswith("docs/planted.md:9: command fapilog[postgress]") for p in found), found


def test_a_settings_path_in_an_example_comment_fails_naming_file_and_line(tmp_path):
    program = "# The endpoint is read from sink_config.http.endpont, not from http.endpoint.\nprint('x')\n"
    problems = planted_problems(tmp_path, program, name="examples/planted.py")
    expected = "examples/planted.py:1: fapilog-setting 'sink_config.http.endpont'"
    assert any(p.startswith(expected) for p in problems), problems


def test_a_published_docstring_example_that_fapilog_ignores_fails_naming_page_and_member(tmp_path):
    # The reference page renders fapilog's docstrings; without the page's warning the
    # configure_enricher example (runtime_info takes no configuration) is reported.
    problems = planted_problems(tmp_path, "::: fapilog.builder.LoggerBuilder")
    expected = (
        "docs/planted.md:8: docstring-example fapilog.builder.LoggerBuilder.configure_enricher: the published "
        "example: 'enricher_config.runtime_info.service'"
    )
    assert any(p.startswith(expected) for p in problems), problems


def test_a_mistake_shown_on_purpose_is_marked_and_accepted(tmp_path):
    body = (
        "```python\nfrom fapilog import Settings\n\n"
        'settings = Settings(core={"log_levl": "DEBUG"})  # deliberately wrong\n'
        'assert settings.core.log_level == "INFO"\n```'
    )
    assert [p for p in planted_problems(tmp_path, body) if p.startswith("docs/planted.md")] == []
    unmarked = body.replace("  # deliberately wrong", "")
    assert any(p.startswith("docs/planted.md:11: fapilog-setting") for p in planted_problems(tmp_path / "2", unmarked))
