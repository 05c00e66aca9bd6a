"""The oracle image of benchmarks/vqa_oracle.py: each object's state, in colour order."""

import numpy as np

from benchmarks.vqa_oracle import object_table
from tfgan_kit.vqa import sort_of_clevr


def test_object_table_holds_each_colours_shape_and_position():
    qa_set = sort_of_clevr.generate(3, 2, seed=7)
    table = object_table(qa_set)
    assert table.shape == (3, 24) and table.dtype == np.float32
    rows = table.reshape(3, 6, 4)
    for image in range(3):
        for colour in range(6):
            square, circle, x, y = rows[image, colour]
            shape = qa_set.shapes[image, colour]
            assert (square, circle) == ((1.0, 0.0) if shape == 0 else (0.0, 1.0))
            cx, cy = qa_set.centres[image, colour]
            np.testing.assert_allclose([x, y], [cx / 37.5 - 1.0, cy / 37.5 - 1.0], atol=1e-6)
            # the answer to "is it on the left?" is the sign of x
            left = sort_of_clevr.answer("left", colour, qa_set.centres[image],
                                        qa_set.shapes[image])
            assert (left == "yes") == (x < 0)
