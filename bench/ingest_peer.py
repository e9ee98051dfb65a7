#!/usr/bin/env python3
"""The peer's ingest path, timed alone: shared/peers/torch_peer.py's own load() (PIL decode, convert,
bilinear resize, to float array) over a corpus's train split, in one process, one thread.
Prints one JSON line. Usage: /usr/bin/python3 bench/ingest_peer.py CORPUS --size 200 --channels 3"""
import argparse, json, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "peers"))
import torch  # noqa: E402
import torch_peer  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("corpus")
ap.add_argument("--size", type=int, default=200)
ap.add_argument("--channels", type=int, default=3)
a = ap.parse_args()
torch.set_num_threads(1)
with open(os.path.join(a.corpus, "meta", "classes.txt")) as f:
    classes = [l.strip() for l in f if l.strip()]
x, _, rate = torch_peer.load(a.corpus, "train", classes, a.size, a.channels)
print(json.dumps({"who": "peer (torch_peer.load: PIL)", "images": len(x), "images_per_s": round(rate, 1)}))
