/**
 * The label model: a {@link io.calibra.label.LabelSet} (label names and their verbalizer words) and
 * the immutable {@link io.calibra.label.LabelDistribution} over it.
 *
 * <p>Every type here is immutable and safe to share between threads. Inputs are validated when a
 * value is built: NaN, infinite or negative probabilities, and widths that do not match the label
 * set, are rejected with an {@link java.lang.IllegalArgumentException} that names the label and the
 * value.
 */
package io.calibra.label;
