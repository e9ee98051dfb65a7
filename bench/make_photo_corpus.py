#!/usr/bin/env python3
"""Builds a Food-101-like corpus of real-photograph JPEGs for the benchmarks (no network needed).

Sources are the colour photographs that Debian's python3-skimage ships (astronaut, cat, coffee, rocket,
motorcycle, Hubble field, ...). Each output image is a random crop of one of them, randomly flipped,
resized so its longer side is 512 px with an aspect ratio between 4:3 and 1:1 (as Food-101's), and saved as a JPEG of
quality 75-95, in the Food-101 layout: images/<class>/<id>.jpg, meta/classes.txt, meta/train.txt,
meta/test.txt (every fourth image is a test image). Deterministic for a given --seed.

  /usr/bin/python3 bench/make_photo_corpus.py /tmp/photos --images 1200 --classes 6
"""
import argparse, os, random
from PIL import Image

SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"
SOURCES = ["astronaut.png", "chelsea.png", "coffee.png", "hubble_deep_field.jpg", "motorcycle_left.png",
           "motorcycle_right.png", "rocket.jpg", "ihc.png", "retina.jpg", "color.png", "grass.png", "gravel.png"]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--images", type=int, default=1200)
    ap.add_argument("--classes", type=int, default=6)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    photos = [Image.open(os.path.join(SKIMAGE, s)).convert("RGB") for s in SOURCES if os.path.exists(os.path.join(SKIMAGE, s))]
    if not photos:
        raise SystemExit("no source photographs under " + SKIMAGE + " (apt-get install python3-skimage)")
    classes = ["class%02d" % c for c in range(a.classes)]
    os.makedirs(os.path.join(a.out, "meta"), exist_ok=True)
    train, test = [], []
    for i in range(a.images):
        cls = classes[i % a.classes]
        src = photos[rng.randrange(len(photos))]
        w, h = src.size
        aspect = rng.uniform(0.75, 1.0)              # Food-101: 512 px on the long side, mostly 4:3 to 1:1
        side = int(min(w, h) * rng.uniform(0.6, 1.0))
        cw, ch = (side, int(side * aspect)) if rng.random() < 0.5 else (int(side * aspect), side)
        x, y = rng.randrange(w - cw + 1), rng.randrange(h - ch + 1)
        im = src.crop((x, y, x + cw, y + ch))
        if rng.random() < 0.5:
            im = im.transpose(Image.FLIP_LEFT_RIGHT)
        longest = 512
        scale = longest / max(im.size)
        im = im.resize((max(1, round(im.size[0] * scale)), max(1, round(im.size[1] * scale))), Image.BICUBIC)
        d = os.path.join(a.out, "images", cls)
        os.makedirs(d, exist_ok=True)
        ident = "%06d" % i
        im.save(os.path.join(d, ident + ".jpg"), quality=rng.randint(75, 95))
        (test if i % 4 == 3 else train).append(cls + "/" + ident)
    for name, items in (("classes", classes), ("train", train), ("test", test)):
        with open(os.path.join(a.out, "meta", name + ".txt"), "w") as f:
            f.write("\n".join(items) + "\n")
    print("wrote %d JPEGs in %d classes to %s" % (a.images, a.classes, a.out))

if __name__ == "__main__":
    main()
