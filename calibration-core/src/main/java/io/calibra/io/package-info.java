/**
 * Files: score files (CSV, RFC 4180, UTF-8) read and written as streams, and fitted calibrators
 * saved and loaded as versioned JSON with provenance.
 *
 * <p>Bad data is a {@link io.calibra.io.DataFileException} (an {@link
 * java.lang.IllegalArgumentException}) that names the file, the line and the column. Readers
 * stream: memory does not grow with the number of rows. Readers and writers are not thread-safe;
 * the JSON codec is stateless and thread-safe. Writes of calibrator files are atomic: a temporary
 * file in the same folder, then a move over the target.
 */
package io.calibra.io;
