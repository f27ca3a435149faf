/**
 * What the commands write and show besides their score files: output folders and groups of files
 * replaced together or not at all ({@link io.calibra.cli.output.OutputFolder}, {@link
 * io.calibra.cli.output.OutputGroup}), the HTML report and its reliability diagrams (numbers in
 * {@link java.util.Locale#ROOT}, so a report reads the same on every system), and the progress line
 * of long scoring runs. Used by the product commands and the demo alike, and depending on neither,
 * so that the packages of the command line have no cycle. Not thread-safe unless a class says so.
 */
package io.calibra.cli.output;
