import pytest

from ronghe.cache import atomic_write


def test_atomic_write_replaces_and_cleans_up(tmp_path):
    path = tmp_path / "sub" / "f.txt"
    atomic_write(path, lambda tmp: open(tmp, "w").write("one"))
    assert path.read_text() == "one"

    def broken(tmp: str) -> None:
        open(tmp, "w").write("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(path, broken)
    assert path.read_text() == "one"  # the old file is untouched
    assert sorted(p.name for p in path.parent.iterdir()) == ["f.txt"]  # no temporary left
