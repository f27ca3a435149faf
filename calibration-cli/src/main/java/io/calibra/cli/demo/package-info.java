/**
 * {@code calibra demo}: the end-to-end demonstration on SST-2 and AG News with the embedded
 * all-MiniLM-L6-v2 encoder, kept apart from the product commands. It reads its data from the
 * locations given as options (or the built-in sample), scores each text once per model on as many
 * threads as there are cores, and writes a report of tables and reliability diagrams. Nothing here
 * is a library API: the classes are the command's parts, run on one thread each except {@link
 * io.calibra.cli.demo.ParallelScorer}'s scoring.
 */
package io.calibra.cli.demo;
