#!/usr/bin/env python3
"""Augmentation reference for bench/augment.sh: the Keras tutorial augmentation with PIL + numpy, one thread.

Same work as pipeline/src/test/java/org/sparkcnn/pipeline/bench/AugmentBench.java: N random 200x200x3 images,
per image draw Keras' get_random_transform parameters (shift 0.1 of the size, shear 0.2 degrees, zoom factors
in [0.8, 1.2], horizontal flip with p = 0.5), compose Keras' matrix (rotation . shift . shear . zoom about the
centre), resample once with bilinear interpolation, flip, convert to float32 * 1/255, channel-major.
--impl pil (the default): PIL's Image.transform(AFFINE) with Keras' matrix (PIL fills with a constant: it has no
'nearest' edge mode); --impl torchvision: torchvision's RandomAffine + RandomHorizontalFlip + ToTensor (its own
draws: one zoom factor for both axes); --impl auto: torchvision when importable, else PIL. Warm-up, then the
median of 3 timed runs. Prints one JSON line, with the versions it ran on.

  /usr/bin/python3 bench/reference_augment.py --images 500 [--impl pil|torchvision|auto]
Needs Debian's python3-pil and python3-numpy (python3-torch and python3-torchvision for --impl torchvision).
"""
import argparse, json, math, os, platform, sys, time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_decode  # noqa: E402  (the shared version report)

C, H, W = 3, 200, 200


def keras_matrix(rng, h, w):
    """Keras get_random_transform + apply_affine_transform's matrix, in PIL's (x, y) pixel-corner coordinates."""
    tx = rng.uniform(-0.1, 0.1) * h          # rows (height_shift_range)
    ty = rng.uniform(-0.1, 0.1) * w          # columns (width_shift_range)
    shear = np.deg2rad(rng.uniform(-0.2, 0.2))
    zx, zy = rng.uniform(0.8, 1.2, 2)
    m = np.array([[1, 0, ty], [0, 1, tx], [0, 0, 1]], dtype=np.float64)
    m = m @ np.array([[1, -math.sin(shear), 0], [0, math.cos(shear), 0], [0, 0, 1]])
    m = m @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    ox, oy = w / 2, h / 2                     # PIL samples pixel centres at +0.5
    m = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]]) @ m @ np.array([[1, 0, -ox], [0, 1, -oy], [0, 0, 1]])
    return (m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2]), rng.random() < 0.5


def pil_pass(images, rng):
    checksum = 0.0
    for i, img in enumerate(images):
        data, flip = keras_matrix(rng, H, W)
        out = img.transform((W, H), Image.AFFINE, data, resample=Image.BILINEAR, fillcolor=(0, 0, 0))
        if flip:
            out = out.transpose(Image.FLIP_LEFT_RIGHT)
        x = np.ascontiguousarray(np.asarray(out, dtype=np.float32).transpose(2, 0, 1)) * np.float32(1 / 255)
        checksum += float(x.flat[i % x.size])
    return checksum


def torchvision_pass(images, rng):
    import torch
    from torchvision import transforms
    torch.set_num_threads(1)
    t = transforms.Compose([
        transforms.RandomAffine(degrees=0, translate=(0.1, 0.1), scale=(0.8, 1.2), shear=0.2,
                                interpolation=transforms.InterpolationMode.BILINEAR),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor()])                 # float32, channel-major, / 255
    checksum = 0.0
    for i, img in enumerate(images):
        x = t(img)
        checksum += float(x.view(-1)[i % x.numel()])
    return checksum


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=500)
    ap.add_argument("--impl", choices=("pil", "torchvision", "auto"), default="pil")
    a = ap.parse_args()
    use_torchvision = a.impl == "torchvision"
    if a.impl == "auto":
        try:
            import torchvision  # noqa: F401
            use_torchvision = True
        except ImportError:
            pass
    if use_torchvision:
        impl, run = "torchvision RandomAffine+RandomHorizontalFlip", torchvision_pass
    else:
        impl, run = "PIL Image.transform(AFFINE, BILINEAR) + numpy", pil_pass
    data_rng = np.random.default_rng(42)
    images = [Image.fromarray(data_rng.integers(0, 256, (H, W, C), dtype=np.uint8), "RGB") for _ in range(a.images)]
    rng = np.random.default_rng(7)
    for _ in range(3):
        run(images, rng)                        # warm-up
    rates, checksum = [], 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        checksum += run(images, rng)
        rates.append(a.images / (time.perf_counter() - t0))
    median = sorted(rates)[1]
    print(json.dumps({"bench": "augment", "impl": "reference: " + impl + " (Python " + platform.python_version() + ")",
                      "images": a.images, "shape": [C, H, W], "threads": 1, "fill_mode": "constant",
                      "settings": "rescale=1/255 shear=0.2deg zoom=0.2 hflip width/height shift=0.1",
                      "runs_images_per_s": [round(r, 1) for r in rates], "images_per_s": round(median, 1),
                      "ms_per_image": round(1000 / median, 3), "checksum": round(checksum, 3),
                      "versions": reference_decode.versions(("torch", "torchvision") if use_torchvision else ())}))


if __name__ == "__main__":
    main()
