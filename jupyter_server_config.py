"""Jupyter Server / JupyterLab settings of the project: ``make lab`` starts Lab with this file
(``--config=jupyter_server_config.py``; it adds ``--allow-root`` when run as root).

* Lab opens ``notebooks/`` and a new notebook gets the project's kernel (``twocreate``, the Python of
  ``.venv`` with the package installed).
* **Opening a notebook does not mark it modified.** When the kernel starts, Lab writes the kernel's
  ``language_info`` (Python's version among it) into the notebook's metadata, and a notebook whose
  metadata changed is "modified" (and autosaved). The committed notebooks carry no ``language_info``
  (it depends on the Python of each machine; jupytext leaves it out of the ``.py``); this server adds the
  project kernel's own ``language_info`` to a notebook of that kernel when it is opened, so Lab finds
  nothing to change.
* **Saving commits no outputs.** The report notebooks (``notebooks/NN_*.ipynb``) are saved without
  outputs, execution counts and ``language_info``: exactly as committed (``tests/test_notebooks_clean.py``
  checks it). The outputs stay on the screen until the notebook is closed; save a copy under another
  name (``mine.ipynb``) to keep them.
"""
import fnmatch
import os

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT_NOTEBOOKS = "[0-9][0-9]_*.ipynb"
KERNEL = "twocreate"


def kernel_language_info() -> dict:
    """What the project kernel reports as ``language_info`` (ipykernel, this Python: the server and the
    kernel run the same ``.venv``)."""
    from ipykernel.ipkernel import IPythonKernel
    return dict(IPythonKernel.language_info)


def is_report_notebook(path: str) -> bool:
    """A committed notebook: ``NN_*.ipynb`` at the top of the server's root (``notebooks/``)."""
    return "/" not in path.strip("/") and fnmatch.fnmatch(os.path.basename(path), REPORT_NOTEBOOKS)


class ProjectContentsManager(AsyncLargeFileManager):
    """Serves a notebook of the project kernel with the kernel's ``language_info`` (see above)."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if content and model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            meta = model["content"].setdefault("metadata", {})
            if (meta.get("kernelspec") or {}).get("name") == KERNEL and "language_info" not in meta:
                meta["language_info"] = kernel_language_info()
        return model


def strip_report_outputs(model, path, contents_manager=None, **kwargs):
    """Before a save: a report notebook loses its outputs, execution counts and ``language_info``."""
    if model.get("type") != "notebook" or not is_report_notebook(path):
        return
    nb = model["content"]
    stripped = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            cell["outputs"], cell["execution_count"] = [], None
            stripped += 1
    nb.get("metadata", {}).pop("language_info", None)
    if stripped and contents_manager is not None:
        contents_manager.log.info("twocreate: saved %s without the outputs of %d cell(s)", path, stripped)


c = get_config()  # noqa: F821 (given by Jupyter when it reads this file)
c.ServerApp.root_dir = os.path.join(HERE, "notebooks")
c.ServerApp.contents_manager_class = ProjectContentsManager  # jupytext's server extension builds on it
c.MappingKernelManager.default_kernel_name = KERNEL
c.ContentsManager.pre_save_hook = strip_report_outputs
