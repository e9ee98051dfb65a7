#!/usr/bin/env python3
"""Decode reference for bench/ingest.sh: PIL decodes and resizes the same JPEGs our ingest does, on one thread.

The work per image is what our decoder does for `ingest.decoder = opencv` with the default
`image.resize-mode = stretch` (see pipeline/.../ingest/OpenCvCodec.java and IngestBench):
  open the file, apply the EXIF orientation when the file has one, convert to RGB (or L for --channels 1; CMYK,
  palette, alpha and 16-bit images included), resize the whole image to SIZE x SIZE (a plain stretch, no crop,
  PIL's BILINEAR filter, which widens its support when shrinking, like OpenCV's INTER_AREA), and lay the 8-bit
  pixels out channel-major (C x H x W uint8, what our shards store).
--float adds the conversion to float32 / 255 (what a training loop feeds the network); --draft lets PIL decode
JPEGs in the DCT domain at 1/2, 1/4 or 1/8 scale when the result stays at least SIZE (as our OpenCV path does).
Both are off by default.

Reads a corpus in the Food-101 layout (images/<class>/<id>.<ext>, meta/classes.txt, meta/train.txt,
meta/test.txt; entries are "<class>/<id>" without extension). Times the listed split only (file listing and
index building are not timed). Prints one JSON line:
  {"who": ..., "images": N, "images_per_s": R, "runs": [...], "versions": {...}}

  /usr/bin/python3 bench/reference_decode.py CORPUS --size 200 --channels 3
Needs Debian's python3-pil and python3-numpy.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402
import PIL  # noqa: E402

EXIF_ORIENTATION = 0x0112


DEBIAN_PACKAGES = {"PIL": "python3-pil", "numpy": "python3-numpy", "torch": "python3-torch",
                   "torchvision": "python3-torchvision"}


def versions(extra=()):
    """Versions of the Python stack the figures are measured with: each module's own version and, where dpkg knows
    it, its Debian package's (Debian's torch 1.13.1 build calls itself 1.13.0a0)."""
    v = {"python": platform.python_version(), "PIL": PIL.__version__, "numpy": np.__version__}
    for name in extra:
        try:
            v[name] = __import__(name).__version__
        except ImportError:
            v[name] = None
    debian = {}
    for name in v:
        pkg = DEBIAN_PACKAGES.get(name)
        if pkg and v[name] is not None:
            try:
                out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True, text=True)
                if out.returncode == 0 and out.stdout:
                    debian[pkg] = out.stdout
            except OSError:
                pass
    if debian:
        v["debian"] = debian
    return v


def read_classes(corpus):
    """meta/classes.txt, else the sorted folders under images/."""
    path = os.path.join(corpus, "meta", "classes.txt")
    if os.path.exists(path):
        with open(path) as f:
            classes = [line.strip() for line in f if line.strip()]
    else:
        classes = sorted(d for d in os.listdir(os.path.join(corpus, "images"))
                         if os.path.isdir(os.path.join(corpus, "images", d)))
    if not classes:
        raise SystemExit("no classes in %s (meta/classes.txt or images/<class>/)" % corpus)
    return classes


def list_split(corpus, split, classes):
    """[(path, label)] for meta/<split>.txt, entries resolved to images/<class>/<id>.<ext>."""
    meta = os.path.join(corpus, "meta", split + ".txt")
    if not os.path.exists(meta):
        raise SystemExit("%s is missing: the reference reads the Food-101 layout (meta/train.txt, meta/test.txt)" % meta)
    index = {c: i for i, c in enumerate(classes)}
    files = {}
    for cls in classes:
        folder = os.path.join(corpus, "images", cls)
        for name in os.listdir(folder):
            files[cls + "/" + os.path.splitext(name)[0]] = os.path.join(folder, name)
    items = []
    with open(meta) as f:
        for line in f:
            entry = line.strip()
            if not entry:
                continue
            cls = entry.split("/")[0]
            if entry not in files or cls not in index:
                raise SystemExit("%s lists %s, which is not under images/ with a class of meta/classes.txt" % (meta, entry))
            items.append((files[entry], index[cls]))
    return items


def decode(path, size, channels, draft=False, as_float=False):
    """One image: decode, orient, convert, stretch to size x size, channel-major array."""
    with Image.open(path) as im:
        if draft and im.format == "JPEG":
            im.draft("L" if channels == 1 else "RGB", (size, size))   # DCT scaling, result stays >= size
        if im.getexif().get(EXIF_ORIENTATION, 1) != 1:
            im = ImageOps.exif_transpose(im)
        im = im.convert("L" if channels == 1 else "RGB").resize((size, size), Image.BILINEAR)
    a = np.asarray(im)
    a = a[None] if channels == 1 else np.ascontiguousarray(a.transpose(2, 0, 1))
    if as_float:
        a = a.astype(np.float32) * np.float32(1 / 255)
    return a


def load(items, size, channels, draft=False, as_float=False):
    """All items decoded into one (N, C, size, size) array; returns (x, y, images/s of the decode loop)."""
    x = np.empty((len(items), channels, size, size), dtype=np.float32 if as_float else np.uint8)
    y = np.empty(len(items), dtype=np.int64)
    t0 = time.perf_counter()
    for i, (path, label) in enumerate(items):
        x[i] = decode(path, size, channels, draft, as_float)
        y[i] = label
    return x, y, len(items) / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--channels", type=int, default=3, choices=(1, 3))
    ap.add_argument("--split", default="train", help="meta/<split>.txt to decode (default train, as IngestBench)")
    ap.add_argument("--repeats", type=int, default=1, help="timed passes in this process; the median is reported")
    ap.add_argument("--warmup", type=int, default=0, help="images decoded untimed first (IngestBench warms up on 100)")
    ap.add_argument("--draft", action="store_true", help="PIL's reduced-size JPEG decoding (off by default)")
    ap.add_argument("--float", dest="as_float", action="store_true", help="also convert to float32 / 255")
    a = ap.parse_args()
    items = list_split(a.corpus, a.split, read_classes(a.corpus))
    if not items:
        raise SystemExit("meta/%s.txt lists no images" % a.split)
    if a.warmup:
        load(items[:a.warmup], a.size, a.channels, a.draft, a.as_float)
    rates = [load(items, a.size, a.channels, a.draft, a.as_float)[2] for _ in range(a.repeats)]
    what = "PIL decode + stretch resize (BILINEAR)%s%s, 1 thread" % (" + draft" if a.draft else "",
                                                                    " + float32" if a.as_float else "")
    print(json.dumps({"who": "reference (%s)" % what, "images": len(items), "size": a.size, "channels": a.channels,
                      "images_per_s": round(statistics.median(rates), 1), "runs": [round(r, 1) for r in rates],
                      "versions": versions()}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
