"""Writes a tiny Broden-style folder for tests (expected masks computed independently)."""

import csv
import os

import numpy as np
from PIL import Image


def write_png(path, array):
    Image.fromarray(array.astype(np.uint8)).save(path)


def write_broden(root, n=3, size=8):
    """A tiny Broden-style folder; returns its masks, built independently of the loader."""
    images = os.path.join(root, "images")
    os.makedirs(images)
    with open(os.path.join(root, "label.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["number", "name", "category"])
        w.writerows([[1, "sky", "object(1)"], [2, "red-c", "color(1)"],
                     [300, "traffic light", "object(1)"], [7, "beach", "scene(1)"]])
    names = ("sky", "red-c", "traffic_light", "beach")
    expected = {k: np.zeros((n, size, size), bool) for k in names}
    rows = []
    for i in range(n):
        write_png(os.path.join(images, f"im{i}.jpg"), np.full((size, size, 3), 40 * i))
        obj = np.zeros((size, size), np.int64)
        obj[: 2 + i, :] = 1  # sky
        obj[5:, 1 + i : 4 + i] = 300  # label > 255: R = 300 % 256, G = 300 // 256
        expected["sky"][i] = obj == 1
        expected["traffic_light"][i] = obj == 300
        rgb = np.stack([obj % 256, obj // 256, np.zeros_like(obj)], -1)
        write_png(os.path.join(images, f"im{i}_object.png"), rgb)
        color = np.zeros((size, size, 3))
        color[:, : i + 1, 0] = 2
        expected["red-c"][i] = color[..., 0] == 2
        write_png(os.path.join(images, f"im{i}_color.png"), color)
        scene = "7" if i != 1 else ""
        expected["beach"][i] = i != 1
        rows.append([f"im{i}.jpg", "train", size, size, size, size, f"im{i}_object.png",
                     f"im{i}_color.png", scene])
    with open(os.path.join(root, "index.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image", "split", "ih", "iw", "sh", "sw", "object", "color", "scene"])
        w.writerows(rows)
    return expected
