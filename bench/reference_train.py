#!/usr/bin/env python3
"""Training reference for bench/train.sh: PyTorch on the CPU trains the network our model factory builds, on the
same files, with the same threads, optimiser and learning rate.

Networks (pipeline/src/main/java/org/sparkcnn/pipeline/model/ModelFactory.java, layer for layer; 'valid'
convolutions with stride 1, max pooling 2x2 stride 2 rounding down, ReLU, a softmax output trained with the mean
cross-entropy over the minibatch; DL4J's DropoutLayer(0.75) keeps 75 %, i.e. torch's Dropout(p=0.25)):
  lenet    conv 6 5x5, pool, conv 16 5x5, pool, dense 120, dense 84, output
  food101  conv 32 3x3, pool, conv 32 3x3, pool, dropout, conv 64 3x3, pool, dropout, dense 128, dropout, output
  mnist    conv 32 3x3, pool, dense 100, output (ReLU-uniform initialisation as ours)
  arctic   conv 32 3x3, pool, conv 128 3x3, pool, conv 128 3x3, pool, conv 128 3x3, pool, dense 1024, output
  resnet50 torchvision's resnet50 (random weights, its own initialisation, global-average-pooling head; needs
           python3-torchvision). Ours is the same network layer for layer (model/ResNet50.java).
  vgg16    torchvision's VGG-16 convolutions with DL4J zoo VGG16's head (dense 4096, 4096 with dropout 0.5 on their
           inputs, no adaptive pooling), which is ours; PyTorch's default initialisation.
  alexnet  DL4J zoo AlexNet, layer for layer: conv 96 11x11 stride 4, LRN, max pool 3x3 stride 2 ('same'),
           conv 256 5x5 padding 2, max pool 3x3 stride 2, LRN, conv 384, 384, 256 3x3 ('same'), max pool 3x3
           stride 2, dense 4096, 4096 (dropout 0.5 on its input), output. LRN as DL4J's (k 2, n 5, alpha 1e-4,
           beta 0.75; torch divides alpha by n, so 5e-4 here). PyTorch's default initialisation; trained as the zoo
           trains it, with L2 5e-4 (Adam's weight_decay) and each layer's gradient divided by its L2 norm, but with
           Adam for the biases too (the zoo gives them Nesterov momentum: the same work per step).
Initialisation as ours (--init dl4j, the default): Xavier normal, std sqrt(2 / (fan_in + fan_out)), zero biases
(DL4J's WeightInit.XAVIER); --init torch keeps PyTorch's defaults. Optimiser: Adam (beta 0.9 / 0.999, epsilon
1e-8) at reference.conf's train.learning-rate 0.001, no L2 or weight decay, as train.optimizer = adam (alexnet: as
the zoo, above).
Input: decoded with PIL exactly as bench/reference_decode.py (stretch resize to SIZE x SIZE), 8-bit values
times 1/255 (augment.rescale's default), no augmentation (reference.conf's default).

Timing: every image of meta/train.txt and meta/test.txt is decoded first (not timed); each epoch then shuffles
the training set (seeded) and times only the minibatch steps (batch assembly, forward, backward, Adam update);
the test split is evaluated after every epoch, untimed. Prints one JSON line:
  train_samples_per_s              all epochs' examples / all epochs' step time (the whole run, warm-up included)
  train_samples_per_s_median_epoch the median epoch's rate (the steady state; how ours reports its epochs)
  test_accuracy                    after the last epoch
  ingest_images_per_s, threads, train_images, test_images, epochs [...], versions {...}

  /usr/bin/python3 bench/reference_train.py CORPUS --size 32 --channels 3 --arch lenet --epochs 10 --batch 32 \
      --threads 2 --seed 42
Needs Debian's python3-torch, python3-pil, python3-numpy (python3-torchvision for resnet50).
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

import reference_decode  # noqa: E402

ARCHS = ("lenet", "food101", "mnist", "arctic", "resnet50", "vgg16", "alexnet")


def conv(c_in, c_out, k):
    return nn.Conv2d(c_in, c_out, kernel_size=k, stride=1, padding=0)        # DL4J ConvolutionMode.Truncate


def pool():
    return nn.MaxPool2d(kernel_size=2, stride=2)                              # SubsamplingLayer MAX 2x2 / 2


def features(name, c):
    """The convolutional part of ModelFactory.build's switch, in order."""
    if name == "lenet":
        return [conv(c, 6, 5), nn.ReLU(), pool(),
                conv(6, 16, 5), nn.ReLU(), pool()]
    if name == "food101":
        return [conv(c, 32, 3), nn.ReLU(), pool(),
                conv(32, 32, 3), nn.ReLU(), pool(),
                nn.Dropout(0.25),                                             # DropoutLayer(0.75): keep 75 %
                conv(32, 64, 3), nn.ReLU(), pool(),
                nn.Dropout(0.25)]
    if name == "mnist":
        return [conv(c, 32, 3), nn.ReLU(), pool()]
    if name == "arctic":
        return [conv(c, 32, 3), nn.ReLU(), pool(),
                conv(32, 128, 3), nn.ReLU(), pool(),
                conv(128, 128, 3), nn.ReLU(), pool(),
                conv(128, 128, 3), nn.ReLU(), pool()]
    raise SystemExit("unknown --arch %s (one of %s)" % (name, ", ".join(ARCHS)))


def head(name, flat, n):
    """The dense part: ReLU dense layers, then the output layer (softmax lives in the loss)."""
    if name == "lenet":
        return [nn.Linear(flat, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, n)]
    if name == "food101":
        return [nn.Linear(flat, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, n)]
    if name == "mnist":
        return [nn.Linear(flat, 100), nn.ReLU(), nn.Linear(100, n)]
    if name == "arctic":
        return [nn.Linear(flat, 1024), nn.ReLU(), nn.Linear(1024, n)]
    raise SystemExit("unknown --arch " + name)


def dl4j_init(model, name):
    """DL4J's initialisation of ModelFactory's layers: XAVIER (normal, std sqrt(2 / (fan_in + fan_out)), fan_out of
    a convolution = filters x kernel area / stride area, stride 1 here), RELU_UNIFORM (U(+-sqrt(6 / fan_in))) for
    mnist's hidden layers, zero biases."""
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    for i, m in enumerate(layers):
        if name == "mnist" and i < len(layers) - 1:
            nn.init.kaiming_uniform_(m.weight, a=0, nonlinearity="relu")       # bound sqrt(6 / fan_in)
        else:
            nn.init.xavier_normal_(m.weight, gain=1.0)
        nn.init.zeros_(m.bias)


def build(name, c, size, n, init):
    if name == "resnet50":
        try:
            import torchvision
        except ImportError:
            raise SystemExit("--arch resnet50 needs torchvision: apt-get install -y python3-torchvision")
        return torchvision.models.resnet50(weights=None, num_classes=n) \
            if hasattr(torchvision.models, "ResNet50_Weights") else torchvision.models.resnet50(num_classes=n)
    if name == "vgg16":
        try:
            import torchvision
        except ImportError:
            raise SystemExit("--arch vgg16 needs torchvision: apt-get install -y python3-torchvision")
        # torchvision's VGG-16 convolutions with DL4J zoo VGG16's head: no adaptive pooling, dense 4096, 4096, n, and
        # dropout 0.5 on the dense layers' inputs (DL4J drops a layer's input); PyTorch's default initialisation
        feat = nn.Sequential(*torchvision.models.vgg16().features, nn.Flatten())
        with torch.no_grad():
            flat = feat(torch.zeros(1, c, size, size)).shape[1]
        return nn.Sequential(*feat, nn.Dropout(0.5), nn.Linear(flat, 4096), nn.ReLU(), nn.Dropout(0.5),
                             nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, n))
    if name == "alexnet":
        lrn = lambda: nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)
        feat = nn.Sequential(
            nn.Conv2d(c, 96, 11, stride=4), nn.ReLU(), lrn(), nn.MaxPool2d(3, 2, padding=1),
            nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2), lrn(),
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2), nn.Flatten())
        with torch.no_grad():
            flat = feat(torch.zeros(1, c, size, size)).shape[1]
        return nn.Sequential(*feat, nn.Linear(flat, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, 4096),
                             nn.ReLU(), nn.Linear(4096, n))
    feat = nn.Sequential(*features(name, c), nn.Flatten())                    # CnnToFeedForward: C, H, W order
    with torch.no_grad():
        flat = feat(torch.zeros(1, c, size, size)).shape[1]
    if flat == 0:
        raise SystemExit("--size %d is too small for %s" % (size, name))
    model = nn.Sequential(*feat, *head(name, flat, n))
    if init == "dl4j":
        dl4j_init(model, name)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--size", type=int, default=64, help="image.height = image.width (default 64, as reference.conf)")
    ap.add_argument("--channels", type=int, default=3, choices=(1, 3))
    ap.add_argument("--arch", default="lenet", choices=ARCHS)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=32, help="examples per optimiser step")
    ap.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate (train.learning-rate)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--init", choices=("dl4j", "torch"), default="dl4j",
                    help="dl4j: ours (Xavier normal, zero biases); torch: PyTorch's defaults; resnet50 keeps torchvision's")
    ap.add_argument("--max-images", type=int, default=0, help="use only the first N train and N test images (smoke)")
    a = ap.parse_args()
    if a.epochs < 1 or a.batch < 1 or a.threads < 1:
        raise SystemExit("--epochs, --batch and --threads must be at least 1")

    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    classes = reference_decode.read_classes(a.corpus)
    train_items = reference_decode.list_split(a.corpus, "train", classes)
    test_items = reference_decode.list_split(a.corpus, "test", classes)
    if a.max_images:
        train_items, test_items = train_items[:a.max_images], test_items[:a.max_images]
    xtr, ytr, ingest_rate = reference_decode.load(train_items, a.size, a.channels)
    xte, yte, _ = reference_decode.load(test_items, a.size, a.channels)
    # 8-bit pixels x 1/255, as augment.rescale; converted once, before any timing
    xtr = torch.from_numpy(xtr).float().mul_(1 / 255)
    xte = torch.from_numpy(xte).float().mul_(1 / 255)
    ytr, yte = torch.from_numpy(ytr), torch.from_numpy(yte)

    model = build(a.arch, a.channels, a.size, len(classes), a.init)
    # DL4J zoo AlexNet trains with L2 5e-4 and each layer's gradient divided by its L2 norm
    # (GradientNormalization.RenormalizeL2PerLayer, before the L2 term): the same work here
    zoo_alexnet = a.arch == "alexnet"
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8,
                           weight_decay=5e-4 if zoo_alexnet else 0)
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))] if zoo_alexnet else []
    loss_fn = nn.CrossEntropyLoss()                                           # softmax + MCXENT, minibatch mean
    shuffle = torch.Generator().manual_seed(a.seed)
    epochs, train_s = [], 0.0
    for e in range(a.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=shuffle)
        total = 0.0
        t0 = time.perf_counter()
        for i in range(0, len(xtr), a.batch):
            idx = perm[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            for m in layers:
                grads = [p.grad for p in (m.weight, m.bias)]
                norm = torch.sqrt(sum((g * g).sum() for g in grads))
                for g in grads:
                    g.div_(norm)
            opt.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - t0
        train_s += seconds
        model.eval()
        with torch.no_grad():
            correct = sum((model(xte[i:i + 512]).argmax(1) == yte[i:i + 512]).sum().item()
                          for i in range(0, len(xte), 512))
        epochs.append({"epoch": e + 1, "train_loss": round(total / len(xtr), 6),
                       "samples_per_s": round(len(xtr) / seconds, 1),
                       "test_accuracy": correct / max(1, len(xte))})
    print(json.dumps({
        "who": "reference", "impl": "pytorch-" + torch.__version__ + " CPU", "arch": a.arch, "size": a.size,
        "channels": a.channels, "batch": a.batch, "lr": a.lr, "seed": a.seed,
        "init": "torchvision" if a.arch == "resnet50" else "torch" if a.arch in ("vgg16", "alexnet") else a.init,
        "parameters": sum(p.numel() for p in model.parameters()),
        "threads": torch.get_num_threads(), "train_images": len(xtr), "test_images": len(xte),
        "ingest_images_per_s": round(ingest_rate, 1),
        "train_samples_per_s": round(len(xtr) * a.epochs / train_s, 1),
        # the median epoch as train.sh takes ours: the upper middle one for an even count
        "train_samples_per_s_median_epoch": sorted(x["samples_per_s"] for x in epochs)[len(epochs) // 2],
        "test_accuracy": epochs[-1]["test_accuracy"], "epochs": epochs,
        "versions": reference_decode.versions(("torch", "torchvision"))}))


if __name__ == "__main__":
    main()
