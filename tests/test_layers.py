"""Imports go down only: the layer map of docs/architecture.md, checked two ways.

* Statically: every ``import`` of a tfgan_kit module anywhere in the package (module level or
  inside a function) must name a module of the same or a lower layer.
* In a fresh interpreter: importing a library package loads no module of ``tfgan_kit.training``
  and no scheme module (what a user of ``tfgan_kit.export`` or ``tfgan_kit.vqa`` pays for).
"""

import ast
import os
import subprocess
import sys


import tfgan_kit

PACKAGE = os.path.dirname(tfgan_kit.__file__)

#: Module prefix -> layer; the longest matching prefix wins. 0 are leaves (they import nothing of
#: tfgan_kit above them), 4 the command lines.
LAYERS = {
    "tfgan_kit": 0,
    "tfgan_kit.types": 0,
    "tfgan_kit.images": 0,
    "tfgan_kit.files": 0,
    "tfgan_kit.errors": 0,
    "tfgan_kit.preflight": 0,
    "tfgan_kit.quiet": 0,
    "tfgan_kit.distribute": 0,
    "tfgan_kit.registry": 0,
    "tfgan_kit.optimizers": 0,
    "tfgan_kit.losses": 1,
    "tfgan_kit.layers": 1,
    "tfgan_kit.nets": 1,
    "tfgan_kit.data": 1,
    "tfgan_kit.metrics": 1,
    "tfgan_kit.quantize": 1,
    "tfgan_kit.figures": 1,
    "tfgan_kit.export": 1,
    "tfgan_kit.models": 2,
    "tfgan_kit.vqa": 2,
    "tfgan_kit.explain": 2,
    "tfgan_kit.training": 3,
    "tfgan_kit.sample": 4,
    "tfgan_kit.evaluate": 4,
    "tfgan_kit.explain.cli": 4,
    "tfgan_kit.explain.__main__": 4,
    "tfgan_kit.explain.demo": 4,
    "tfgan_kit.explain.gan_demo": 4,
    "tfgan_kit.vqa.__main__": 4,
}

#: Upward imports that remain, each with the reason (an empty dict when there are none).
KNOWN_UPWARD: dict = {}


def layer(module: str) -> int:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise KeyError(f"{module} is in no layer: add it to LAYERS (and docs/architecture.md)")


def package_modules():
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, os.path.dirname(PACKAGE))[:-3]
                module = relative.replace(os.sep, ".").removesuffix(".__init__")
                yield module, path


def imported_modules(module: str, path: str):
    """Every tfgan_kit module ``path`` imports, at any depth of its code."""
    is_package = path.endswith("__init__.py")
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "tfgan_kit" or name.startswith("tfgan_kit."):
                yield name


def known_module(name: str) -> str:
    """``name`` cut to the longest prefix that is a module or package of tfgan_kit (``from
    tfgan_kit.data import digits`` imports the package ``tfgan_kit.data``)."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        candidate = os.path.join(os.path.dirname(PACKAGE), *parts[:n])
        if os.path.isdir(candidate) or os.path.isfile(candidate + ".py"):
            return ".".join(parts[:n])
    return name


def test_every_module_has_a_layer():
    for module, _ in package_modules():
        layer(module)


def test_imports_go_down_only():
    upward = []
    for module, path in package_modules():
        for target in {known_module(name) for name in imported_modules(module, path)}:
            if layer(target) > layer(module) and (module, target) not in KNOWN_UPWARD:
                upward.append(f"{module} (layer {layer(module)}) imports {target} "
                              f"(layer {layer(target)})")
    assert not upward, "\n".join(sorted(upward))


def test_known_upward_imports_still_exist():
    """An entry of KNOWN_UPWARD that no longer occurs is removed from it (no stale excuses)."""
    found = {(module, known_module(name)) for module, path in package_modules()
             for name in imported_modules(module, path)}
    assert set(KNOWN_UPWARD) <= found, set(KNOWN_UPWARD) - found


LIBRARY_PACKAGES = ["losses", "layers", "nets", "data", "metrics", "quantize", "export", "vqa",
                    "explain"]


def test_library_packages_load_no_trainer_and_no_scheme():
    """One fresh interpreter imports every library package in turn and reports, after each, the
    trainer and scheme modules loaded so far: none at the end means none for each package alone
    (a module an import loads stays loaded), at the cost of one TensorFlow import."""
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    importlib.import_module('tfgan_kit.' + name)\n"
            "    print(name, *(m for m in sys.modules if m.startswith('tfgan_kit.training')\n"
            "                  or m.startswith('tfgan_kit.models.')))\n")
    result = subprocess.run([sys.executable, "-c", code, *LIBRARY_PACKAGES],
                            cwd=os.path.dirname(PACKAGE), capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == LIBRARY_PACKAGES
    loaded = [line for line in lines if len(line.split()) > 1]
    assert not loaded, f"the first line names the package that loaded them: {loaded[0]}"


def test_no_module_imports_a_private_name_of_another():
    private = []
    for module, path in package_modules():
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tfgan_kit"):
                private += [f"{module}: from {node.module} import {alias.name}"
                            for alias in node.names if alias.name.startswith("_")]
    assert not private, "\n".join(private)
