/**
 * The {@code calibra-spark} command line: {@code metrics} and {@code calibrate} over score files,
 * run by Spark in local mode ({@code ./calibra-spark}) or on a cluster ({@code spark-submit}).
 */
package io.calibra.spark.cli;
