/**
 * Augment: Keras {@code ImageDataGenerator} parity for the training input path. A validated
 * {@link org.sparkcnn.pipeline.augment.AugmentConfig} (HOCON block {@code augment { }}, read by
 * {@link org.sparkcnn.pipeline.augment.AugmentConfigParser}) says which random transforms to draw;
 * {@link org.sparkcnn.pipeline.augment.ParamSampler} draws one example's
 * {@link org.sparkcnn.pipeline.augment.AugmentParams}; {@link org.sparkcnn.pipeline.augment.Augmentation} applies
 * them to a channel-major {@code float[c*h*w]} of raw 0..255 pixels; {@link org.sparkcnn.pipeline.augment.DataSetAugmenter}
 * does it for a DL4J minibatch. {@link org.sparkcnn.pipeline.augment.Preprocessing} is what a trained model expects
 * of its input beyond the shape (rescale, standardisation, crop, the training split's feature statistics), written
 * by {@code train} and read by {@code evaluate}, {@code predict}, {@code report} and {@code filters}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every function is pure: no hidden state, inputs are never modified. The transform of an example is a
 *       function of (config, run seed, epoch, example id) only, so it is the same whatever the partitioning, call
 *       order, executor or task retry, and different in the next epoch.</li>
 *   <li>The order is Keras' ({@code apply_transform} then {@code standardize}): one affine resampling (rotation,
 *       shift, shear, zoom composed into a single matrix about the image centre, bilinear, scipy.ndimage fill
 *       modes), channel shift, horizontal flip, vertical flip, brightness, then our random crop, then rescale,
 *       samplewise centre/std, featurewise centre/std.</li>
 *   <li>Validation and test data are never augmented: {@link org.sparkcnn.pipeline.augment.DataSetAugmenter#rescaleOnly}
 *       only rescales and standardises (and centre-crops to the training crop size when a random crop is set).</li>
 * </ul>
 *
 * <p>Axes. Keras names the height (row) shift {@code tx} and the width (column) shift {@code ty}; here {@code tx}
 * moves rows and {@code ty} moves columns, as the Keras documentation says. Since keras-preprocessing 1.1.2
 * (TF 2.4+, Keras 3) Keras builds its matrix in (x = column, y = row) coordinates and then applies {@code tx} to
 * columns and centres columns on {@code height / 2 - 0.5}: for square images and equal shift ranges that only
 * swaps which of two identically distributed draws goes where. We build the same matrix in the same (column, row)
 * coordinates, put {@code tx} on rows and {@code ty} on columns and centre each axis on its own size, so for square
 * images the result equals Keras' {@code apply_affine_transform(x, theta, tx=ty, ty=tx, shear, zx, zy)};
 * {@code zx} scales columns and {@code zy} rows, as in Keras.
 */
package org.sparkcnn.pipeline.augment;
