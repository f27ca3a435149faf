package io.calibra.spark.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one place in calibration-spark that writes to the process's standard streams: the
 * {@code calibra-spark} entry point. The build's forbidden-apis check allows {@code System.out} and
 * {@code System.err} only in members carrying it, so the library's classes keep reporting through
 * exceptions and return values.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface ProcessStreams {}
