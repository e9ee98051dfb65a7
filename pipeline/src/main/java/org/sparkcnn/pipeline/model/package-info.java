/**
 * Model: network architectures by name, built for a manifest's image shape and class count. Contract:
 * the same name, shape, classes, training settings and seed give the same initial network.
 */
package org.sparkcnn.pipeline.model;
