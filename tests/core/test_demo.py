"""The demo project is made from the packaged seeds, outside the checkout, and is valid."""

from pathlib import Path

from annotator.core.demo import demo_project
from annotator.core.paths import seeds_dir, user_data_dir
from annotator.core.validate import validate_project

CHECKOUT = Path(__file__).resolve().parents[2]


def test_demo_project_from_seeds_is_valid(tmp_path: Path) -> None:
    project = demo_project(tmp_path / "demo")
    (doc_id,) = project.documents.ids
    assert doc_id == "000_ce769e1c30ebc085"
    text = project.documents.get(doc_id).text
    assert text == (seeds_dir() / f"{doc_id}.txt").read_text("utf-8")
    assert project.annotators() == ["ani", "budi"]
    assert validate_project(project.root).problems == []
    ani = project.annotation_file("ani").get(doc_id)
    budi = project.annotation_file("budi").get(doc_id)
    assert ani is not None
    assert budi is not None
    assert ani.status == budi.status == "done"
    assert {s.key for s in ani.spans} != {s.key for s in budi.spans}  # they disagree
    assert demo_project(tmp_path / "demo").root == project.root  # opened, not re-made


def test_default_demo_lives_in_the_user_data_folder() -> None:
    def listing() -> dict[str, int]:
        return {str(p): p.stat().st_mtime_ns for p in seeds_dir().rglob("*")}

    before = listing()
    project = demo_project()
    assert project.root == user_data_dir() / "demo"
    assert CHECKOUT not in project.root.parents
    assert listing() == before  # nothing written into the seeds
