"""Small builders shared by the store tests."""

from pathlib import Path

from annotator.core.model import Document
from annotator.core.project import Project


def make_project(root: Path, texts: dict[str, str]) -> Project:
    project = Project.init(root)
    project.documents.append([Document(id=k, text=v) for k, v in texts.items()])
    return project
