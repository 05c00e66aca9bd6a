"""Figures of samples: titled image grids and 2-D scatter plots with the mixture's modes.

Figures a person reads, built with matplotlib's object API (:class:`matplotlib.figure.Figure` on
a ``FigureCanvasAgg``, never ``pyplot``, so the backend a user chose is left alone):
:func:`grid_figure`, :func:`scatter_figure`, :func:`picture_figure`, written by :func:`render` and
:func:`save_figure`. The raw pixel writers (one PNG pixel per sample pixel) are
:mod:`tfgan_kit.images`.

A figure's title is one line of parts joined by :data:`SEPARATOR` (``scheme · epoch 10 · step
1000 · 8/8 modes, ...``). On screen it wraps at the separators; in the PNG it is also stored
whole as the ``Title`` text chunk (``PIL.Image.open(path).text["Title"]``), and
:func:`title_of` reads it back from a figure.

Scatter plots of a Gaussian mixture mark each centre and draw a dashed circle of radius
``3 * std`` around it: the "high quality" radius of PacGAN's mode-coverage protocol (Lin et al.
2018, Sec. 5.1, after VEEGAN, Srivastava et al. 2017); the title then gives the coverage of the
drawn points (:func:`tfgan_kit.metrics.mode_coverage.mode_coverage`).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from tfgan_kit.errors import UserError
from tfgan_kit.files import write_atomically
from tfgan_kit.images import image_grid
from tfgan_kit.metrics.mode_coverage import HIGH_QUALITY_STDS, ModeCoverage, mode_coverage

#: Joins the parts of a figure title.
SEPARATOR = " · "
#: Smallest long side, in pixels, of a rendered figure.
MIN_SIZE = 512
_DPI = 100
_TITLE_POINTS = 10.0
_LINE_PIXELS = 20  # height of one title line at _TITLE_POINTS and _DPI, with leading
#: Gid of the dashed 3-std circles on a scatter figure (count them with :func:`circles_of`).
CIRCLE_GID = "high_quality_radius"


# --------------------------------------------------------------------------- titles


def join_title(*parts) -> str:
    """The title of the non-empty ``parts`` joined by :data:`SEPARATOR` (``None`` parts dropped)."""
    return SEPARATOR.join(str(p) for p in parts if p is not None and str(p) != "")


def coverage_text(coverage: ModeCoverage, num_modes: int) -> str:
    """``"8/8 modes, 88% high quality, reverse KL 0.14"`` for a :class:`ModeCoverage`.

    The PacGAN measures (Lin et al. 2018, Sec. 5.1); the reverse KL is ``n/a`` while no sample is
    high quality (it is NaN then).
    """
    kl = coverage.reverse_kl
    kl_text = f"{kl:.2f}" if np.isfinite(kl) else "n/a"
    return (f"{coverage.modes}/{num_modes} modes, "
            f"{100 * coverage.high_quality_fraction:.0f}% high quality, reverse KL {kl_text}")


def _wrap(title: str, width_pixels: float, points: float = _TITLE_POINTS) -> str:
    """Breaks ``title`` at separators into lines that fit ``width_pixels``."""
    chars = max(16, int(width_pixels / (0.6 * points * _DPI / 72.0)))
    lines: list[str] = []
    for part in title.split(SEPARATOR):
        if lines and len(lines[-1]) + len(SEPARATOR) + len(part) <= chars:
            lines[-1] += SEPARATOR + part
        else:
            lines.append(part)
    return "\n".join(lines)


def set_title(figure: Figure, title: str | None, width_pixels: float, **kwargs) -> None:
    """Sets ``title`` as the figure's suptitle, wrapped at separators to ``width_pixels``.

    The unwrapped line is kept for :func:`title_of` and the PNG's ``Title`` chunk; ``kwargs`` go
    to ``Figure.suptitle``.
    """
    if title:
        figure.suptitle(_wrap(title, width_pixels), fontsize=_TITLE_POINTS, **kwargs)
        figure.tfgan_title = title  # the unwrapped line, read by `title_of`


def title_of(figure: Figure) -> str:
    """The one-line title of a figure built here (``""`` when it has none)."""
    title = getattr(figure, "tfgan_title", None)
    if title is not None:
        return title
    return figure.get_suptitle().replace("\n", SEPARATOR)


def circles_of(figure: Figure) -> list[Circle]:
    """The dashed 3-std "high quality" circles drawn on a scatter figure."""
    return [p for ax in figure.axes for p in ax.patches
            if isinstance(p, Circle) and p.get_gid() == CIRCLE_GID]


# --------------------------------------------------------------------------- figures


def new_figure(width_pixels: float, height_pixels: float, **kwargs) -> Figure:
    """A ``width_pixels`` x ``height_pixels`` Figure on an Agg canvas (no pyplot, no backend
    switch); ``kwargs`` go to :class:`matplotlib.figure.Figure` (e.g. ``layout``)."""
    figure = Figure(figsize=(width_pixels / _DPI, height_pixels / _DPI), dpi=_DPI, **kwargs)
    FigureCanvasAgg(figure)
    return figure


def title_lines(title: str | None, width_pixels: float) -> int:
    """Lines the wrapped ``title`` takes at ``width_pixels`` (0 without a title)."""
    return _wrap(title, width_pixels).count("\n") + 1 if title else 0


def grid_figure(images: np.ndarray, columns: int | None = None, title: str | None = None,
                min_size: int = MIN_SIZE) -> Figure:
    """A titled figure of :func:`image_grid` of ``images``, at least ``min_size`` px long.

    Small images (8x8 or 32x32 digits) are enlarged by an integer factor with nearest-neighbour
    repetition, and the axes span exactly the enlarged grid's pixels, so every sample pixel is a
    crisp square. One-channel images are drawn in grey; there are no ticks.

    Args:
        images: ``[n, h, w, 1 or 3]`` in [-1, 1].
        columns: images per row (``None``: as square as possible).
        title: the title line (``None``: no title).
        min_size: smallest long side of the figure in pixels. Defaults to `512`.
    """
    grid = image_grid(images, columns)
    scale = max(1, int(math.ceil(min_size / max(grid.shape[:2]))))
    grid = np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)
    grid_h, grid_w = grid.shape[:2]
    width = max(grid_w, min_size if title else grid_w)
    band = (title_lines(title, width) * _LINE_PIXELS + 12) if title else 0
    figure = new_figure(width, grid_h + band)
    axes = figure.add_axes((((width - grid_w) / 2) / width, 0.0, grid_w / width,
                            grid_h / (grid_h + band)))
    if grid.shape[-1] == 1:
        axes.imshow(grid[..., 0], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    else:
        axes.imshow(grid, interpolation="nearest")
    axes.set_axis_off()
    set_title(figure, title, width, y=1.0 - 4.0 / (grid_h + band), va="top")
    return figure


def _view(points: np.ndarray, reference: np.ndarray | None, radius: float) -> tuple:
    """Square limits around the finite points and the centres' circles, 10% margin."""
    boxes = []
    finite = points[np.all(np.isfinite(points), axis=1)]
    if len(finite):
        boxes.append((finite.min(0), finite.max(0)))
    if reference is not None and len(reference):
        boxes.append((reference.min(0) - radius, reference.max(0) + radius))
    if not boxes:
        return (-1.0, 1.0), (-1.0, 1.0)
    low = np.min([b[0] for b in boxes], axis=0)
    high = np.max([b[1] for b in boxes], axis=0)
    centre, half = (low + high) / 2.0, max(float(np.max(high - low)) / 2.0, 1e-6) * 1.1
    return (centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half)


def scatter_figure(points: np.ndarray, reference: np.ndarray | None = None,
                   reference_std: float | None = None, title: str | None = None,
                   size: int = MIN_SIZE) -> Figure:
    """A ``size`` x ``size`` px scatter plot of 2-D ``points`` with axes, equal aspect, legend.

    ``reference`` points are marked with red crosses. With ``reference_std`` they are the centres
    of a Gaussian mixture of that component std: each gets a dashed circle of radius
    ``3 * reference_std`` (PacGAN's "high quality" radius, Lin et al. 2018, Sec. 5.1) and the
    title ends with the coverage of ``points`` (:func:`coverage_text`).

    Args:
        points: ``[n, 2]`` samples (non-finite ones are not drawn).
        reference: ``[m, 2]`` reference points or mixture centres, or ``None``.
        reference_std: the mixture's component std, or ``None`` when ``reference`` is not the
            centres of a mixture.
        title: the title line before the coverage (``None``: none).
        size: width and height in pixels. Defaults to `512`.

    Raises:
        ValueError: if ``points`` or ``reference`` is not ``[n, 2]``, or ``reference_std <= 0``.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise UserError(f"`points` must have shape [n, 2]. Received: shape={points.shape}")
    if reference is not None:
        reference = np.asarray(reference, dtype=np.float64)
        if reference.ndim != 2 or reference.shape[1] != 2:
            raise UserError(
                f"`reference` must have shape [m, 2]. Received: shape={reference.shape}")
    if reference_std is not None and not reference_std > 0:
        raise UserError(f"`reference_std` must be positive. Received: {reference_std}")
    mixture = reference is not None and reference_std is not None and len(reference) > 0
    radius = HIGH_QUALITY_STDS * float(reference_std) if mixture else 0.0
    if mixture and len(points):
        title = join_title(title, coverage_text(
            mode_coverage(points, reference, reference_std), len(reference)))

    figure = new_figure(size, size, layout="constrained")
    axes = figure.add_subplot()
    finite = points[np.all(np.isfinite(points), axis=1)]
    axes.scatter(finite[:, 0], finite[:, 1], s=4, alpha=0.5, color="tab:blue", linewidths=0,
                 label=f"generated ({len(points):,})", zorder=2)
    if reference is not None and len(reference):
        axes.scatter(reference[:, 0], reference[:, 1], marker="x", s=40, color="tab:red",
                     linewidths=1.2, zorder=3,
                     label=f"mixture centres ({len(reference)})" if mixture else "reference")
    if mixture:
        for i, centre in enumerate(reference):
            axes.add_patch(Circle(tuple(centre), radius, fill=False, linestyle="--",
                                  linewidth=0.8, edgecolor="tab:red", gid=CIRCLE_GID, zorder=3,
                                  label=(f"{HIGH_QUALITY_STDS:g}σ (high quality)" if i == 0
                                         else None)))
    xlim, ylim = _view(points, reference, radius)
    axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)
    axes.set_aspect("equal", adjustable="box")
    axes.set_xlabel("x₁")
    axes.set_ylabel("x₂")
    axes.grid(True, linewidth=0.3, alpha=0.5)
    axes.tick_params(labelsize=8)
    axes.legend(loc="upper right", fontsize=7, framealpha=0.85, markerscale=1.5)
    set_title(figure, title, size)
    return figure


def picture_figure(picture, title: str | None = None, reference_std: float | None = None,
                   size: int = MIN_SIZE) -> Figure:
    """The figure of a scheme's :class:`tfgan_kit.types.Picture`: a grid or a scatter plot.

    Images become :func:`grid_figure` with ``picture.columns`` per row; points
    :func:`scatter_figure` over ``picture.reference`` (mixture centres, with their 3-std circles
    and the coverage in the title when ``reference_std`` is given).
    """
    if picture.points is not None:
        return scatter_figure(picture.points, picture.reference, reference_std, title, size)
    return grid_figure(picture.images, picture.columns, title, size)


def save_figure(figure: Figure, path: str) -> str:
    """Writes ``figure`` as a PNG at ``path`` atomically (:func:`write_atomically`).

    The one-line title (:func:`title_of`) is stored as the PNG's ``Title`` text chunk, so it can
    be read back without looking at pixels. Returns ``path``.
    """
    metadata = {"Software": "tfgan_kit"}
    title = title_of(figure)
    if title:
        metadata["Title"] = title
    return write_atomically(path, lambda temporary: figure.savefig(
        temporary, format="png", dpi=_DPI, metadata=metadata))


def save_scatter(
    points: np.ndarray,
    path: str,
    reference: np.ndarray | None = None,
    size: int = MIN_SIZE,
    title: str | None = None,
    reference_std: float | None = None,
) -> str:
    """Writes :func:`scatter_figure` of 2-D ``points`` over optional ``reference`` at ``path``.

    Returns ``path``.

    Raises:
        ValueError: if ``points`` is not ``[n, 2]``.
    """
    return save_figure(scatter_figure(points, reference, reference_std, title, size), path)


def render(picture, path: str, title: str | None = None, reference_std: float | None = None,
           size: int = MIN_SIZE) -> np.ndarray | None:
    """Writes a scheme's :class:`tfgan_kit.types.Picture` as a titled PNG at ``path``.

    See :func:`picture_figure`; the file is written by :func:`save_figure` (atomic, title in the
    ``Title`` text chunk).

    Args:
        picture: what the scheme draws.
        path: the ``.png`` to write.
        title: the title line, e.g. ``"gan · epoch 10 · step 1000"``; for a mixture the coverage
            is appended.
        reference_std: component std of the 2-D mixture whose centres are
            ``picture.reference`` (``DataSpec.reference_std``), or ``None``.
        size: smallest long side (grids), side (scatter plots) in pixels. Defaults to `512`.

    Returns:
        The images drawn (``[n, h, w, c]``, for TensorBoard), or ``None`` for a scatter plot.
    """
    save_figure(picture_figure(picture, title, reference_std, size), path)
    if picture.points is not None:
        return None
    return np.asarray(picture.images)


__all__ = [
    "CIRCLE_GID",
    "MIN_SIZE",
    "SEPARATOR",
    "circles_of",
    "coverage_text",
    "grid_figure",
    "join_title",
    "new_figure",
    "picture_figure",
    "render",
    "save_figure",
    "save_scatter",
    "scatter_figure",
    "set_title",
    "title_lines",
    "title_of",
]
