/**
 * Helpers shared by calibra's packages. Not API: they may change in any release, the module {@code
 * io.calibra.core} does not export this package, and no other module uses it (an ArchUnit rule
 * checks both). It depends on no other calibra package, so it sits below all of them.
 *
 * <p>{@link io.calibra.internal.Checks} holds the preconditions (on Guava's {@code Preconditions})
 * with the messages docs/errors.md lists; {@link io.calibra.internal.Probabilities} the one row
 * validation (given the label names for its messages) and the allocation-free numeric kernels
 * (softmax, log-sum-exp, argmax).
 *
 * <p>{@link io.calibra.internal.Parallel} splits work over rows into chunks of a fixed size and
 * runs them on the common fork-join pool; reductions add chunk results in chunk order, so results
 * are bit-for-bit the same on any machine and any number of cores. {@link
 * io.calibra.internal.StableSort} orders rows by a non-negative key, ties by row order.
 */
package io.calibra.internal;
