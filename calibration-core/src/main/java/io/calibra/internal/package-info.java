/**
 * Helpers shared by calibra's packages. Not API: they may change in any release, and the module
 * {@code io.calibra.core} does not export this package.
 *
 * <p>{@link io.calibra.internal.Checks} holds the preconditions (on Guava's {@code Preconditions})
 * with the messages docs/errors.md lists; {@link io.calibra.internal.Probabilities} the one row
 * validation and the allocation-free numeric kernels (softmax, log-sum-exp, argmax); {@link
 * io.calibra.internal.StrictJson} the strict, size-limited JSON reading of calibrator and template
 * files.
 *
 * <p>{@link io.calibra.internal.Parallel} splits work over rows into chunks of a fixed size and
 * runs them on the common fork-join pool; reductions add chunk results in chunk order, so results
 * are bit-for-bit the same on any machine and any number of cores. {@link
 * io.calibra.internal.StableSort} orders rows by a non-negative key, ties by row order.
 */
package io.calibra.internal;
