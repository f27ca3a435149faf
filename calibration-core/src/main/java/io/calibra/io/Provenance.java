package io.calibra.io;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.primitives.Longs;
import io.calibra.label.LabelledSet;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a saved calibrator came from.
 *
 * @param method the calibration method (or methods, for a pipeline, joined by {@code +})
 * @param fittingRows the number of rows it was fitted on (0 when given, not fitted)
 * @param fittingDataSha256 a SHA-256 of the fitting data (probabilities' bits and gold labels), or
 *     null
 * @param templateFingerprint the prompt template's fingerprint, or null
 * @param scorerFingerprint the scorer's {@link io.calibra.backend.Scorer#fingerprint()}, or null
 *     (fitted from a score file, or saved before schema version 2)
 * @param modelId the scorer's model identifier, or null
 * @param libraryVersion calibra's version
 * @param javaVersion the Java version that fitted it
 * @param created when it was saved, ISO-8601 UTC
 */
public record Provenance(
    String method,
    long fittingRows,
    @Nullable String fittingDataSha256,
    @Nullable String templateFingerprint,
    @Nullable String scorerFingerprint,
    @Nullable String modelId,
    String libraryVersion,
    String javaVersion,
    String created) {

  /** Provenance without a scorer fingerprint (as read from a schema-1 file). */
  public Provenance(
      String method,
      long fittingRows,
      String fittingDataSha256,
      String templateFingerprint,
      String modelId,
      String libraryVersion,
      String javaVersion,
      String created) {
    this(
        method,
        fittingRows,
        fittingDataSha256,
        templateFingerprint,
        null,
        modelId,
        libraryVersion,
        javaVersion,
        created);
  }

  /**
   * This library's version, as the build wrote it into {@code calibra-build.properties} (the same
   * in the installed jar, a shaded jar and the build's own classes folder).
   */
  public static String currentLibraryVersion() {
    return BuildInfo.VERSION;
  }

  /**
   * Provenance of a calibrator fitted now, on {@code data} (may be null), by this library, with no
   * scorer fingerprint.
   */
  public static Provenance now(
      String method, LabelledSet data, String templateFingerprint, String modelId) {
    return now(method, data, templateFingerprint, null, modelId);
  }

  /**
   * Provenance of a calibrator fitted now, on {@code data} (may be null), by this library, for a
   * template and a scorer identified by their fingerprints (either may be null).
   */
  public static Provenance now(
      String method,
      LabelledSet data,
      String templateFingerprint,
      String scorerFingerprint,
      String modelId) {
    return new Provenance(
        method,
        data == null ? 0 : data.size(),
        data == null ? null : sha256(data),
        templateFingerprint,
        scorerFingerprint,
        modelId,
        currentLibraryVersion(),
        System.getProperty("java.version"),
        Instant.now().toString());
  }

  /** Provenance of a calibrator fitted now on {@code rows} unlabelled or labelled rows. */
  public static Provenance now(String method, long rows, String dataSha256) {
    return new Provenance(
        method,
        rows,
        dataSha256,
        null,
        null,
        null,
        currentLibraryVersion(),
        System.getProperty("java.version"),
        Instant.now().toString());
  }

  /** A SHA-256 of every probability's bits and every gold label, in row order. */
  public static String sha256(LabelledSet data) {
    return sha256(data.distributions().stream().map(d -> d.toArray()).toList(), data.goldArray());
  }

  /** A SHA-256 of rows of values and (optionally) gold labels, in row order. */
  public static String sha256(List<double[]> rows, int[] gold) {
    // Longs.toByteArray is big-endian, as the format has always been (Hasher.putLong is not)
    Hasher sha = Hashing.sha256().newHasher();
    for (int i = 0; i < rows.size(); i++) {
      for (double v : rows.get(i)) {
        sha.putBytes(Longs.toByteArray(Double.doubleToLongBits(v)));
      }
      if (gold != null) {
        sha.putBytes(Longs.toByteArray(gold[i]));
      }
    }
    return sha.hash().toString();
  }
}
