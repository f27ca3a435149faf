package io.calibra.classifier;

import io.calibra.backend.Scorer;
import io.calibra.io.Provenance;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a saved calibration was fitted for this classifier: the scorer and template fingerprints
 * its provenance records against those of the scorer and template it is given to.
 */
final class ProvenanceMatch {
  private ProvenanceMatch() {}

  /**
   * Checks that {@code p}, the provenance of a saved {@code method} stage, records the fingerprints
   * of {@code scorer} and {@code template}.
   *
   * @throws IllegalArgumentException naming each mismatch and the remedy
   */
  static void require(Provenance p, String method, Scorer scorer, PromptTemplate template) {
    List<String> problems = new ArrayList<>();
    compare("scorer", p.scorerFingerprint(), scorer.fingerprint(), problems);
    compare("template", p.templateFingerprint(), template.fingerprint(), problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the saved calibrator ("
              + method
              + ", model "
              + p.modelId()
              + ") does not match this classifier: "
              + String.join("; ", problems)
              + ". Fit it again for this scorer and template, or call"
              + " allowMismatchedProvenance() to use it anyway");
    }
  }

  private static void compare(String what, String saved, String actual, List<String> problems) {
    if (saved == null) {
      problems.add(
          "it records no "
              + what
              + " fingerprint (a schema-1 file, or fitted from a score file); this "
              + what
              + " has fingerprint "
              + actual);
    } else if (!saved.equals(actual)) {
      problems.add(
          "it was fitted with "
              + what
              + " fingerprint "
              + saved
              + ", but this "
              + what
              + " has fingerprint "
              + actual);
    }
  }
}
