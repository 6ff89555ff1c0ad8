"""The checks check themselves: each kind of breakage fails its check with a message that
names the file (and the cell or line).

Each test breaks something in a temporary copy and runs the real check on it, the way CI
would: nbval in a pytest subprocess, the examples runner, the Markdown-block check in a
pytest subprocess, and the strict MkDocs build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

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


def nbval(notebook: Path) -> subprocess.CompletedProcess[str]:
    """nbval exactly as `nox -s notebooks` runs it, rooted at the notebook's folder."""
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
            notebook.name,
        ],
        cwd=notebook.parent,
    )


def write_notebook(path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_cell_fails_nbval_naming_file_and_cell(tmp_path):
    notebook = write_notebook(
        tmp_path / "broken-cell.ipynb",
        [
            nbformat.v4.new_code_cell("x = 1", execution_count=1),
            nbformat.v4.new_code_cell("raise RuntimeError('boom')", execution_count=2),
        ],
    )
    result = nbval(notebook)
    assert result.returncode == 1, result.stdout
    assert "FAILED broken-cell.ipynb::Cell 1" in result.stdout
    assert "RuntimeError" in result.stdout


def test_a_stale_stored_output_fails_nbval_naming_file_and_cell(tmp_path):
    stale = nbformat.v4.new_output("stream", name="stdout", text="3\n")  # the code prints 2
    notebook = write_notebook(
        tmp_path / "stale-output.ipynb",
        [nbformat.v4.new_code_cell("print(1 + 1)", execution_count=1, outputs=[stale])],
    )
    result = nbval(notebook)
    assert result.returncode == 1, result.stdout
    assert "FAILED stale-output.ipynb::Cell 0" in result.stdout
    assert "Cell outputs differ" in result.stdout


def test_the_real_notebooks_pass_the_same_nbval_invocation(tmp_path):
    # Guards the two tests above: the invocation they use accepts a healthy notebook.
    healthy = tmp_path / "01-first-steps.ipynb"
    shutil.copy(ROOT / "tutorials" / "01-first-steps.ipynb", healthy)
    result = nbval(healthy)
    assert result.returncode == 0, result.stdout


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


def test_a_failing_markdown_block_fails_naming_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nSome text.\n\n```python\nimport fapilog\nassert fapilog\n1 / 0\n```\n", encoding="utf-8")
    result = run_pytest(
        [str(ROOT / "tests" / "test_markdown_blocks.py"), "--rootdir", str(ROOT)],
        cwd=ROOT,
        env={"HUB_MARKDOWN_ROOTS": str(page)},
    )
    assert result.returncode == 1, result.stdout
    assert "ZeroDivisionError" in result.stdout
    assert "page.md:5: the block failed" in result.stdout  # where the block starts
    assert 'page.md", line 8' in result.stdout  # the failing line, as the page numbers it


def test_a_stale_pinned_output_fails_naming_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text('# Page\n\n```python\nprint("actual")\n#> pinned\n```\n', encoding="utf-8")
    result = run_pytest(
        [str(ROOT / "tests" / "test_markdown_blocks.py"), "--rootdir", str(ROOT)],
        cwd=ROOT,
        env={"HUB_MARKDOWN_ROOTS": str(page)},
    )
    assert result.returncode == 1, result.stdout
    assert "page.md:3: printed output differs from the block's #> lines" in result.stdout
    assert "-pinned" in result.stdout and "+actual" in result.stdout


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
# hub.checks (run by the docs linter, so by tests/test_docs_lint.py) on a temporary copy
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
    return [str(p) for p in checks.run(repo)]


def test_the_planted_page_without_a_mistake_passes(tmp_path):
    # Guards the tests below: each names docs/planted.md because of its planted mistake,
    # not because of the page around it. (The real pages: tests/test_docs_lint.py.)
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


def markdown_blocks_check(page: Path) -> subprocess.CompletedProcess[str]:
    return run_pytest(
        [str(ROOT / "tests" / "test_markdown_blocks.py"), "--rootdir", str(ROOT)],
        cwd=ROOT,
        env={"HUB_MARKDOWN_ROOTS": str(page)},
    )


@pytest.mark.parametrize("fence", ["````", "~~~", "~~~~~"])
def test_a_python_block_under_any_fence_is_run_and_fails_naming_file_and_line(tmp_path, fence):
    page = tmp_path / "page.md"
    page.write_text(f"# Page\n\n{fence}python\nassert True\n1 / 0\n{fence}\n", encoding="utf-8")
    result = markdown_blocks_check(page)
    assert result.returncode == 1, result.stdout
    assert "page.md:3: the block failed" in result.stdout
    assert "ZeroDivisionError" in result.stdout


def test_a_fence_closed_by_a_longer_fence_fails_naming_file_and_line(tmp_path):
    # CommonMark (and GitHub) close it; superfences does not, and the site shows text.
    problems = planted_problems(tmp_path, "```python\nassert True\n````")
    expected = "docs/planted.md:8: fence opened with ``` but closed with ````: superfences closes a fence"
    assert any(p.startswith(expected) for p in problems), problems


def test_a_python_block_that_proves_nothing_fails_naming_file_and_line(tmp_path):
    body = '```python\nfrom fapilog import get_logger\n\nlog = get_logger("app")\nlog.info("hello")\n```'
    page = tmp_path / "page.md"
    page.write_text(PAGE.format(body=body), encoding="utf-8")
    result = markdown_blocks_check(page)
    assert result.returncode == 1, result.stdout
    assert "page.md:8: the block proves nothing" in result.stdout
    # The docs linter says so too, before anything runs.
    problems = planted_problems(tmp_path / "repo", body)
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


def test_nbval_and_the_build_name_the_same_cell_with_its_first_line(tmp_path):
    from hub.notebooks import NotebookError, check_publishable

    error = nbformat.v4.new_output("error", ename="RuntimeError", evalue="boom", traceback=[])
    cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("x = 1", execution_count=1),
        nbformat.v4.new_markdown_cell("Some prose between the cells."),
        nbformat.v4.new_code_cell("raise RuntimeError('boom')", execution_count=2, outputs=[error]),
    ]
    notebook = write_notebook(tmp_path / "numbering.ipynb", cells)
    result = nbval(notebook)
    assert "FAILED numbering.ipynb::Cell 1" in result.stdout, result.stdout
    assert "Input:\nraise RuntimeError('boom')" in result.stdout, result.stdout  # nbval shows the cell
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
