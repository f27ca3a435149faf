/**
 * Helpers shared by calibra's packages. Not API: they may change in any release.
 *
 * <p>{@link io.calibra.internal.Parallel} splits work over rows into chunks of a fixed size and
 * runs them on the common fork-join pool; reductions add chunk results in chunk order, so results
 * are bit-for-bit the same on any machine and any number of cores. {@link
 * io.calibra.internal.StableSort} orders rows by a non-negative key, ties by row order.
 */
package io.calibra.internal;
