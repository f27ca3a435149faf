/**
 * calibra on Apache Spark: {@link io.calibra.spark.SparkMetrics} (every metric of {@code calibra
 * metrics}, the equal-mass ECE exact), {@link io.calibra.spark.SparkCalibration} (calibrated
 * columns through a broadcast calibrator and batched application per partition) and {@link
 * io.calibra.spark.MetricsAggregator} (a typed aggregator over calibration-core's mergeable
 * accumulator). Results equal the single-machine library's on the same rows, to rounding of sums.
 *
 * <p>Score Datasets have one column per label (see {@link io.calibra.spark.ScoreColumns}); empty
 * Datasets are an error for metrics; NaN cells fail as in calibra's files. Spark 4.1 on Java 17
 * needs the {@code --add-opens} options that {@code ./calibra-spark} passes.
 */
package io.calibra.spark;
