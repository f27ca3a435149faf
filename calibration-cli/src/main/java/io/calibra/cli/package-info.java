/**
 * The {@code calibra} command line: {@code demo}, {@code score}, {@code fit}, {@code calibrate},
 * {@code metrics} and {@code report}. Exit codes: 0 success, 2 bad usage, 3 bad input data (the
 * message names the file, line and column), 1 anything else.
 */
package io.calibra.cli;
