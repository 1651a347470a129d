"""Put a Space straight into a hub, as the repository side does on create, for runtime tests."""

from __future__ import annotations

from fakehub import FakeHub
from fakehub.domain.accounts import Actor
from fakehub.domain.spaces.records import Space, Visibility

GRADIO_README = b"---\ntitle: Demo\nsdk: gradio\napp_file: app.py\n---\n# Demo\n"
GRADIO_FILES = {"README.md": GRADIO_README, "app.py": b"import gradio\n"}


def add_space(
    hub: FakeHub,
    repo_id: str = "fakeuser/demo",
    *,
    sdk: str = "gradio",
    files: dict[str, bytes] | None = None,
    hardware: str | None = None,
    sleep_time: int | None = None,
    visibility: Visibility = "public",
) -> Space:
    """A Space added to the store and started, like ``create_repo`` + a first commit."""
    namespace, name = repo_id.split("/")
    if files is None:
        files = dict(GRADIO_FILES) if sdk != "static" else {"index.html": b"<p>hi</p>"}
    with hub.ctx.transaction() as now:
        space = Space(
            namespace=namespace,
            name=name,
            id=hub.ctx.ids.object_id(),
            sdk=sdk,
            visibility=visibility,
            created_at_ns=now,
            last_modified_at_ns=now,
            author=namespace,
            files=files,
            requested_hardware=hardware,
            sleep_time=sleep_time,
        )
        hub.space_store.add(space)
        hub.spaces.on_created(space, now)
    return space


def commit_files(hub: FakeHub, space: Space, files: dict[str, bytes | None]) -> None:
    """A commit on the Space: set (or delete, with ``None``) files, then tell the runtime."""
    with hub.ctx.transaction() as now:
        for path, content in files.items():
            if content is None:
                space.files.pop(path, None)
            else:
                space.files[path] = content
        hub.spaces.on_files_changed(space, now)


def actor_for(hub: FakeHub, token: str = "hf_fake_write") -> Actor:
    """The caller behind ``token``, as a route would authenticate it."""
    actor = hub.ctx.accounts.authenticate(f"Bearer {token}")
    assert actor is not None
    return actor
