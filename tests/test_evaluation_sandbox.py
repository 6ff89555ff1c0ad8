"""hub/evaluation/sandbox.py: the sandbox's limits (environment, timeout, signals, writes,
another user, output) and its refusal where it cannot contain."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from evaluation_support import linux_only
from hub.evaluation import sandbox
from hub.project import ROOT


def _run(code: str, tmp_path: Path, **limits) -> sandbox.Outcome:
    env = sandbox.minimal_env(home=tmp_path, path_dirs=[Path(sys.executable).parent])
    return sandbox.run_contained([sys.executable, "-c", code], cwd=tmp_path, env=env, limits=sandbox.Limits(**limits))


@linux_only
def test_sandbox_passes_only_the_minimal_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_TEST_SECRET", "s3cr3t-value")
    outcome = _run("import os, json; print(json.dumps(sorted(os.environ)))", tmp_path)
    assert outcome.failure is None
    assert "s3cr3t-value" not in outcome.output_tail and "HUB_TEST_SECRET" not in outcome.output_tail


@linux_only
def test_sandbox_kills_a_whole_process_tree_at_the_timeout(tmp_path):
    code = "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\ntime.sleep(60)"
    outcome = _run(code, tmp_path, timeout_seconds=1.5)
    assert outcome.timed_out and outcome.failure.startswith("timeout")
    assert outcome.duration_seconds < 10


@linux_only
def test_sandbox_tells_an_exit_status_from_a_signal(tmp_path):
    exited = _run("import os; os._exit(137)", tmp_path)
    killed = _run("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", tmp_path)
    assert (exited.returncode, exited.failure) == (137, "exited with status 137")
    assert (killed.returncode, killed.failure) == (-9, "crashed: killed by signal SIGKILL")


@linux_only
def test_sandbox_lets_it_write_only_its_working_folder(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    victim = tmp_path / "outside.txt"
    code = (
        "import sys\n"
        "open('mine.txt', 'w').write('ok')\n"
        f"for path in [{str(victim)!r}, {str(ROOT / 'planted.txt')!r}, {sys.prefix + '/planted.pth'!r}]:\n"
        "    try:\n"
        "        open(path, 'w').write('x'); print('WROTE', path)\n"
        "    except OSError as e:\n"
        "        print('DENIED', path, type(e).__name__)\n"
    )
    outcome = _run(code, work)
    assert outcome.failure is None, outcome.output_tail
    assert (work / "mine.txt").read_text() == "ok"
    assert outcome.output_tail.count("DENIED") == 3 and "WROTE" not in outcome.output_tail
    assert not victim.exists() and not (ROOT / "planted.txt").exists() and not Path(sys.prefix, "planted.pth").exists()


NON_ROOT_CHECK = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from hub.evaluation import sandbox
work, owned = Path(sys.argv[2]), Path(sys.argv[3])
code = (
    "import os\\n"
    "open('mine.txt', 'w').write(str(os.getuid()))\\n"
    "try:\\n"
    f"    open({str(owned / 'planted.pth')!r}, 'w')\\n"
    "    print('WROTE')\\n"
    "except OSError as e:\\n"
    "    print('DENIED', type(e).__name__)\\n"
)
env = sandbox.minimal_env(home=work, path_dirs=[])
outcome = sandbox.run_contained(["/usr/bin/python3", "-c", code], cwd=work, env=env)
print(sandbox.isolation_note())
print(outcome.failure, outcome.output_tail)
"""


@linux_only
@pytest.mark.skipif(
    not (hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/usr/bin/python3").exists()),
    reason="needs root (to become another user) and Debian's /usr/bin/python3 (readable by that user)",
)
def test_sandbox_contains_a_caller_that_is_not_root(tmp_path):
    # Run by an ordinary user (nobody here), the sandbox makes its own user namespace; a
    # folder that user owns outside the working folder is still read-only inside.
    import shutil
    import subprocess
    import uuid

    work = tmp_path / "work"
    work.mkdir()
    # Outside /tmp and /var/tmp (empty tmpfs inside the sandbox) wherever the clone lives, so
    # that the folder is visible inside and the write fails because the system is read-only.
    owned = Path("/var/cache") / f"hub-sandbox-owned-{uuid.uuid4().hex[:8]}"
    owned.mkdir(parents=True)
    try:
        for folder in (tmp_path, work, owned):
            os.chown(folder, 65534, 65534)
        # pytest makes its folders private to root (one level more under xdist: popen-gwN/).
        for folder in [tmp_path, *tmp_path.parents]:
            folder.chmod(0o755)
            if folder.name.startswith("pytest-of-"):  # /tmp/pytest-of-root: the last private one
                break
        script = tmp_path / "check.py"
        script.write_text(NON_ROOT_CHECK, encoding="utf-8")
        script.chmod(0o644)
        run = subprocess.run(
            ["runuser", "-u", "nobody", "--", "/usr/bin/python3", str(script), str(ROOT), str(work), str(owned)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/",
        )
        assert run.returncode == 0, run.stderr
        assert "as the invoking user, own user, mount" in run.stdout
        assert "None DENIED OSError" in run.stdout, run.stdout  # EROFS: read-only, though nobody owns it
        assert (work / "mine.txt").read_text() == "65534"
        assert list(owned.iterdir()) == []
    finally:
        shutil.rmtree(owned, ignore_errors=True)


def test_sandbox_refuses_to_run_where_it_cannot_contain(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    sandbox._probe_bwrap.cache_clear()
    try:
        with pytest.raises(sandbox.SandboxUnavailable, match="bubblewrap"):
            _run("print('never')", tmp_path)
    finally:
        monkeypatch.undo()
        sandbox._probe_bwrap.cache_clear()


@linux_only
def test_sandbox_caps_output(tmp_path):
    outcome = _run("import sys\nwhile True: sys.stdout.write('x' * 65536)", tmp_path, output_bytes=1024 * 1024)
    assert outcome.output_exceeded and outcome.failure.startswith("output limit")
    assert len(outcome.output_tail) <= 4096
