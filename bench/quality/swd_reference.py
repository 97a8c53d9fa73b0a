#!/usr/bin/python3
"""Independent numpy reference for the sliced Wasserstein distance (ProGAN, Karras et al. 2018).

Usage: /usr/bin/python3 swd_reference.py INPUT_FOLDER

INPUT_FOLDER holds swd-input.json and the raw little-endian arrays it names, as written by the C# test
(tests/Core.Tests/Quality/SwdReferenceInputs.cs):

    {"patch_size": 7,
     "real": ARRAY, "fake": ARRAY,                      # float images [N, 3, S, S]
     "levels": [{"size": 64,
                 "real_tops": ARRAY, "real_lefts": ARRAY,  # int32 [N * patches per image], image by image
                 "fake_tops": ARRAY, "fake_lefts": ARRAY,
                 "directions": ARRAY}, ...]}            # float64 [repeats, 3 * 7 * 7, directions per repeat]
    ARRAY = {"file": "name.bin", "dtype": "<f4" | "<i4" | "<f8", "shape": [...]}

Prints {"levels": [{"size": 64, "value": ...}, ...], "average": ...}, values x10^3.

Written from the algorithm, not ported from the C# code, so that the two do not share mistakes: the pyramid is
filtered separably, one axis at a time, and upsampling is done in polyphase form (even and odd output pixels from
their own weights) instead of filtering a zero-filled image; patches are read through a sliding-window view.
Everything is float64.
"""

import json
import pathlib
import sys

import numpy as np

# The 5x5 binomial filter of the issue is this 1-D filter applied along rows and then along columns.
BINOMIAL = np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0


def load(folder, spec):
    values = np.fromfile(folder / spec["file"], dtype=np.dtype(spec["dtype"]))
    return values.reshape(spec["shape"])


def blur_along(images, axis):
    """The 1-D binomial filter along one axis, mirror padding (d c b | a b c d | c b a)."""
    widths = [(0, 0)] * images.ndim
    widths[axis] = (2, 2)
    padded = np.pad(images, widths, mode="reflect")
    length = images.shape[axis]
    return sum(weight * np.take(padded, np.arange(k, k + length), axis=axis) for k, weight in enumerate(BINOMIAL))


def reduce(images):
    """OpenCV's pyrDown: blur, keep every second pixel from the first."""
    return blur_along(blur_along(images, 2), 3)[:, :, ::2, ::2]


def expand_along(images, axis):
    """One axis of OpenCV's pyrUp. Filtering the zero-filled, mirrored signal with 2 * BINOMIAL gives
    out[2i] = (x[i-1] + 6 x[i] + x[i+1]) / 8 and out[2i+1] = (x[i] + x[i+1]) / 2, where mirroring the zero-filled
    signal makes x[-1] = x[1] at the start but x[n] = x[n-1] at the end."""
    x = np.moveaxis(images, axis, -1)
    before = x[..., 1:2]
    after = x[..., -1:]
    extended = np.concatenate([before, x, after], axis=-1)
    previous, current, following = extended[..., :-2], extended[..., 1:-1], extended[..., 2:]
    even = (previous + 6.0 * current + following) / 8.0
    odd = (current + following) / 2.0
    out = np.empty(x.shape[:-1] + (2 * x.shape[-1],))
    out[..., 0::2] = even
    out[..., 1::2] = odd
    return np.moveaxis(out, -1, axis)


def expand(images):
    return expand_along(expand_along(images, 2), 3)


def laplacian_pyramid(images, level_count):
    gaussian = [images]
    for _ in range(level_count - 1):
        gaussian.append(reduce(gaussian[-1]))
    return [gaussian[k] - expand(gaussian[k + 1]) for k in range(level_count - 1)] + [gaussian[-1]]


def descriptors(level, tops, lefts, patch_size):
    """Normalised patches [patches, channel * row * column]; each set is normalised on its own, as ProGAN does."""
    windows = np.lib.stride_tricks.sliding_window_view(level, (patch_size, patch_size), axis=(2, 3))
    per_image = len(tops) // level.shape[0]
    images = np.arange(len(tops)) // per_image
    patches = windows[images, :, tops, lefts]  # [patches, channel, row, column]
    mean = patches.mean(axis=(0, 2, 3), keepdims=True)
    deviation = patches.std(axis=(0, 2, 3), keepdims=True)
    deviation[deviation == 0] = 1.0
    return ((patches - mean) / deviation).reshape(len(tops), -1)


def sliced_wasserstein(real, fake, directions):
    distances = []
    for repeat in directions:
        real_sorted = np.sort(real @ repeat, axis=0)
        fake_sorted = np.sort(fake @ repeat, axis=0)
        distances.append(np.abs(real_sorted - fake_sorted).mean())
    return float(np.mean(distances))


def main(folder):
    folder = pathlib.Path(folder)
    header = json.loads((folder / "swd-input.json").read_text())
    patch_size = header["patch_size"]
    levels = header["levels"]
    real = load(folder, header["real"]).astype(np.float64)
    fake = load(folder, header["fake"]).astype(np.float64)
    real_pyramid = laplacian_pyramid(real, len(levels))
    fake_pyramid = laplacian_pyramid(fake, len(levels))
    results = []
    for level, real_level, fake_level in zip(levels, real_pyramid, fake_pyramid):
        assert real_level.shape[2] == level["size"], (real_level.shape, level["size"])
        real_descriptors = descriptors(
            real_level, load(folder, level["real_tops"]), load(folder, level["real_lefts"]), patch_size)
        fake_descriptors = descriptors(
            fake_level, load(folder, level["fake_tops"]), load(folder, level["fake_lefts"]), patch_size)
        directions = load(folder, level["directions"])
        value = sliced_wasserstein(real_descriptors, fake_descriptors, directions) * 1e3
        results.append({"size": level["size"], "value": value})
    print(json.dumps({"levels": results, "average": float(np.mean([r["value"] for r in results]))}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
