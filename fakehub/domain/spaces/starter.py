"""What a new Space holds: the initial commit the Hub writes when it creates the repo.

commits.md §7.2 (inferred from public Space repos and the client's tests): one commit, titled
``initial commit``, with ``.gitattributes`` (the Hub's standard LFS patterns) and ``README.md``
(front matter naming the SDK); static Spaces also get ``index.html`` and ``style.css``. No app
file is written, so a gradio, streamlit or docker Space starts in ``NO_APP_FILE``.
"""

from __future__ import annotations

from fakehub.ids import IdFactory

INITIAL_COMMIT_TITLE = "initial commit"
#: The SDK version the Hub's template writes for gradio and streamlit Spaces.
SDK_VERSIONS = {"gradio": "5.20.0", "streamlit": "1.42.0"}
_EMOJIS = ("🚀", "🐢", "🔥", "🌍", "📊", "🐠", "🦀", "🏃", "💻", "📚")
_COLORS = ("red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray")

_LFS_PATTERNS = (
    "*.7z", "*.arrow", "*.bin", "*.bz2", "*.ckpt", "*.ftz", "*.gz", "*.h5", "*.joblib",
    "*.lfs.*", "*.mlmodel", "*.model", "*.msgpack", "*.npy", "*.npz", "*.onnx", "*.ot",
    "*.parquet", "*.pb", "*.pickle", "*.pkl", "*.pt", "*.pth", "*.rar", "*.safetensors",
    "saved_model/**/*", "*.tar.*", "*.tar", "*.tflite", "*.tgz", "*.wasm", "*.xz", "*.zip",
    "*.zst", "*tfevents*",
)  # fmt: skip

GITATTRIBUTES_TEXT = "".join(f"{p} filter=lfs diff=lfs merge=lfs -text\n" for p in _LFS_PATTERNS)

_INDEX_HTML = """<!doctype html>
<html>
\t<head>
\t\t<meta charset="utf-8" />
\t\t<meta name="viewport" content="width=device-width" />
\t\t<title>{title}</title>
\t\t<link rel="stylesheet" href="style.css" />
\t</head>
\t<body>
\t\t<div class="card">
\t\t\t<h1>Welcome to your static Space!</h1>
\t\t\t<p>You can modify this app directly by editing <i>index.html</i> in the Files tab.</p>
\t\t</div>
\t</body>
</html>
"""

_STYLE_CSS = """body {
\tpadding: 2rem;
\tfont-family: -apple-system, BlinkMacSystemFont, "Arial", sans-serif;
}

.card {
\tmax-width: 620px;
\tmargin: 0 auto;
\tpadding: 16px;
\tborder: 1px solid lightgray;
\tborder-radius: 16px;
}
"""


def title_of(name: str) -> str:
    """``my_cool-space`` -> ``My Cool Space`` (the Hub titles the card from the repo name)."""
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or name


def readme_text(name: str, sdk: str, ids: IdFactory) -> str:
    color_from = _COLORS[int(ids.random() * len(_COLORS))]
    color_to = _COLORS[int(ids.random() * len(_COLORS))]
    lines = [
        "---",
        f"title: {title_of(name)}",
        f"emoji: {_EMOJIS[int(ids.random() * len(_EMOJIS))]}",
        f"colorFrom: {color_from}",
        f"colorTo: {color_to}",
        f"sdk: {sdk}",
    ]
    if sdk in SDK_VERSIONS:
        lines += [f"sdk_version: {SDK_VERSIONS[sdk]}", "app_file: app.py"]
    lines += ["pinned: false", "---", ""]
    reference = "https://huggingface.co/docs/hub/spaces-config-reference"
    return "\n".join(lines) + f"\nCheck out the configuration reference at {reference}\n"


def initial_files(name: str, sdk: str, ids: IdFactory | None) -> dict[str, bytes]:
    """The files of a new Space. With no ``ids``, the README is left empty: that stand-in has
    the same paths and ``.gitattributes``, so files can be checked against it before any id is
    drawn (a refused request must not move the seeded ids)."""
    readme = readme_text(name, sdk, ids) if ids is not None else ""
    files = {
        ".gitattributes": GITATTRIBUTES_TEXT.encode(),
        "README.md": readme.encode(),
    }
    if sdk == "static":
        files["index.html"] = _INDEX_HTML.format(title=title_of(name)).encode()
        files["style.css"] = _STYLE_CSS.encode()
    return files
