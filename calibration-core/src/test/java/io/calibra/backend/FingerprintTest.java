package io.calibra.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fingerprints are pinned: caches and saved provenance compare them across releases, so the bytes
 * hashed must never change. Expected values from scripts/fingerprint_golden.py (Python hashlib over
 * the documented length-prefixed format, written independently of the Java code).
 */
class FingerprintTest {

  @Test
  void aClassifierScorersFingerprintIsPinned() {
    Scorer s = Scorers.fromClassifier("sentiment-v1", ScoreKind.LOGIT, text -> new double[] {0, 1});
    assertThat(s.fingerprint())
        .isEqualTo("3adc783d76e35266f769cf52fee5845c4bed9f981b5725785519da466131c9db");
  }

  @Test
  void everyKindOfFieldIsPinned() {
    String fp =
        Fingerprint.of("onnx-encoder")
            .add("model", "naïve €")
            .add("absent", (String) null)
            .add("scale", 0.05)
            .add("threads", -3L)
            .add("labels", List.of("negative", "positive"))
            .addMap("options", Map.of("b", "2", "a", List.of("x", "y")))
            .build();
    assertThat(fp).isEqualTo("8cc0df8e328e8a38014c31f112d227c50c88d96b37968ef27d93834189362146");
  }

  @Test
  void contentHashIsPlainSha256() {
    // FIPS 180-2 test vector for "abc"
    assertThat(Fingerprint.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void fieldsAreDelimitedAndNullIsNotTheEmptyText() {
    String ab = Fingerprint.of("k").add("x", "ab").add("y", "c").build();
    String a = Fingerprint.of("k").add("x", "a").add("y", "bc").build();
    String nul = Fingerprint.of("k").add("x", (String) null).build();
    String empty = Fingerprint.of("k").add("x", "").build();
    assertThat(ab).isNotEqualTo(a);
    assertThat(nul).isNotEqualTo(empty);
    assertThat(ab).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void aFingerprintIsBuiltOnce() {
    Fingerprint f = Fingerprint.of("k").add("x", "y");
    f.build();
    assertThatThrownBy(f::build).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> f.add("z", "w")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aNullKindIsRefusedByName() {
    assertThatThrownBy(() -> Fingerprint.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kind");
  }
}
