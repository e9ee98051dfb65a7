/**
 * Model: network architectures by name, built for a manifest's image shape and class count, or a pretrained
 * network ({@code model.init}) fine-tuned with a frozen feature extractor and a new output layer. Contract:
 * the same name (or base network), shape, classes, training settings and seed give the same initial network;
 * frozen layers are DL4J's frozen wrappers, so they survive checkpoints and parameter averaging unchanged.
 * Every network wrapped as a {@code Network} runs its convolutions and pooling through oneDNN where the loaded
 * natives have it, with outputs and gradients equal to DL4J's own layers (except that a MultiLayerNetwork's first
 * convolution returns no input gradient, which nothing in a network reads), and applies its gradients through
 * DL4J's in-place updater path ({@code InPlaceUpdaters}), with updates equal to DL4J's own bit for bit.
 */
package org.sparkcnn.pipeline.model;
