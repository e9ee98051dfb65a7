/**
 * Demo and end-to-end runs: a deterministic synthetic corpus in the Food-101 layout, and the
 * ingest-train-evaluate sequence used by the {@code run} and {@code demo} verbs.
 */
package org.sparkcnn.pipeline.demo;
