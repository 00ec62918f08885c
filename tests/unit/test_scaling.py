"""No cliffs at size: bounded work per unresolved reference, per license seat, per file.

Behaviour only (never wall-clock times: speed belongs in benchmarks/).
"""

from __future__ import annotations

import difflib
import os
import random

from itamctl.rules.validation import unresolved_reference as references
from itamctl.rules.validation.unresolved_reference import FULL_SCAN, _Candidates
from tests.conftest import run_cli


def _ids(n: int) -> dict[str, str]:
    return {f"p{i:05d}": "Person" for i in range(n)} | {f"A-{i:06d}": "Asset" for i in range(n)}


def _best(word, choices):
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return match[0] if match else None


def test_small_registries_get_the_suggestion_of_a_full_scan():
    known = _ids(FULL_SCAN // 2)
    candidates = _Candidates(known)
    everyone = [i for i, k in known.items() if k == "Person"]
    assert sorted(candidates.near("p0012", ("Person",))) == sorted(everyone)


def test_large_registries_look_at_a_bounded_window_and_still_find_typos():
    known = _ids(20_000)
    candidates = _Candidates(known)
    rng = random.Random(3)
    for _ in range(50):
        target = f"p{rng.randrange(20_000):05d}"
        typo = target[:2] + target[3] + target[2] + target[4:]  # two digits swapped
        if typo in known:
            continue
        near = candidates.near(typo, ("Person",))
        assert len(near) <= 4 * references.NEAR
        assert _best(typo, near) == _best(typo, [i for i, k in known.items() if k == "Person"])
    near = candidates.near("A-00012x", ("Person", "Asset"))
    assert len(near) <= 4 * references.NEAR
    assert _best("A-00012x", near) is not None


def test_many_unresolved_references_each_get_their_finding(registry):
    people = "\n---\n".join(f"apiVersion: itam/v1\nkind: Person\nid: p{i:05d}\nname: P {i}"
                            for i in range(FULL_SCAN + 50))
    registry.write("people-many.yaml", people)
    for i in range(30):
        registry.write(f"assets/A-{i}.yaml", f"apiVersion: itam/v1\nkind: Asset\nid: A-{i}\nname: A\n"
                       f"category: laptop\nstatus: deployed\nowner: p{i:05d}x\n")
    code, out, _ = run_cli("validate", "--registry", str(registry.root))
    assert code == 1
    lines = [line for line in out.splitlines() if "unresolved_reference" in line]
    assert len(lines) == 30
    assert "(did you mean 'p00007'?)" in next(line for line in lines if "A-7.yaml" in line)


def _big_people(n: int) -> str:
    return "\n---\n".join(f"apiVersion: itam/v1\nkind: Person\nid: q{i:06d}\nname: Person number {i}\n"
                          f"email: person.number.{i}@example.com\nteam: Engineering and operations"
                          for i in range(n))


def test_a_file_over_the_limit_names_the_setting_that_raises_it(registry):
    from itamctl.loader import MAX_FILE_BYTES

    registry.write("hr-export.yaml", _big_people(MAX_FILE_BYTES // 100))
    code, out, _ = run_cli("validate", "--registry", str(registry.root))
    assert code == 1
    assert "[yaml.too_large]" in out and "raise `max_file_bytes` in Settings" in out


def test_settings_raise_the_file_limit(registry, tmp_path):
    from itamctl.loader import MAX_FILE_BYTES

    registry.write("hr-export.yaml", _big_people(MAX_FILE_BYTES // 100))
    registry.replace("settings.yaml", "currency: EUR\n", f"currency: EUR\nmax_file_bytes: {4 * MAX_FILE_BYTES}\n")
    code, out, err = run_cli("validate", "--registry", str(registry.root))
    assert (code, out, err) == (0, out, "")
    assert "too_large" not in out
    registry.replace("settings.yaml", f"max_file_bytes: {4 * MAX_FILE_BYTES}\n", "max_file_bytes: 1000\n")
    code, out, _ = run_cli("validate", "--registry", str(registry.root))
    assert code == 1 and "max_file_bytes" in out and "schema.minimum" in out


def test_a_raised_file_limit_reads_only_the_large_files_again_with_or_without_cache(registry):
    import subprocess

    from itamctl.loader import MAX_FILE_BYTES

    registry.write("hr-export.yaml", _big_people(MAX_FILE_BYTES // 100))
    registry.write("broken.yaml", "a: [\n")  # a finding of its own, kept where it was
    registry.replace("settings.yaml", "currency: EUR\n", f"currency: EUR\nmax_file_bytes: {4 * MAX_FILE_BYTES}\n")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "r"]):
        subprocess.run(["git", *args], cwd=registry.root, env={**os.environ, **env}, check=True)
    args = ("validate", "--registry", str(registry.root), "--format", "json")
    cold = run_cli(*args, "--no-cache")
    assert cold[0] == 1 and "too_large" not in cold[1] and "hr-export.yaml" not in cold[1]
    assert '"files": 9' in cold[1] and "broken.yaml" in cold[1]
    assert run_cli(*args) == cold and run_cli(*args) == cold  # filling the cache, then from it
    at = run_cli(*args, "--at", "HEAD", "--no-cache")
    assert at == cold and run_cli(*args, "--at", "HEAD") == cold
