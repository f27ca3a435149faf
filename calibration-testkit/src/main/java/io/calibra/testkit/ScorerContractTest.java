package io.calibra.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link Scorer} contract as a JUnit 5 test: extend it, return your adapter from {@link
 * #createScorer()} and your label set from {@link #labels()}, and every rule below is checked
 * against it. Override {@link #prompts()}, {@link #tolerance()} or {@link #threadSafe()} to fit the
 * adapter.
 *
 * <ul>
 *   <li>one result per prompt, in order, over the requested label set, also for a batch of one and
 *       an empty batch;
 *   <li>scores are log-scores: no NaN, no {@code +Infinity}, at least one finite per prompt;
 *   <li>scoring in one batch equals scoring one prompt at a time, and scoring twice gives the same
 *       scores;
 *   <li>a null prompt is an {@link IllegalArgumentException};
 *   <li>the model identifier is stable and not blank;
 *   <li>eight threads scoring at once get the serial results (when {@link #threadSafe()}).
 * </ul>
 *
 * <p>The scorer is created once per test class (models are slow to load) and closed after its last
 * test; the rules only read from it, so they do not interfere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ScorerContractTest {
  private Scorer scorer;

  /** A new scorer, called once per test class; it is closed after the class's last test. */
  protected abstract Scorer createScorer();

  /** The label set to score against. */
  protected abstract LabelSet labels();

  /** Prompts of varied length, including the empty string; override for your model's domain. */
  protected List<String> prompts() {
    return List.of(
        "a wonderful film",
        "",
        "N/A",
        "the plot is thin , the acting wooden and the ending drags on far longer than it should",
        "ok",
        "Review: dull\nSentiment:");
  }

  /** The tolerance between batched and one-at-a-time scores (default 1e-5). */
  protected double tolerance() {
    return 1e-5;
  }

  /** Whether the scorer promises thread safety (default true). */
  protected boolean threadSafe() {
    return true;
  }

  @BeforeAll
  void openScorer() {
    scorer = createScorer();
    assertThat(scorer).as("createScorer()").isNotNull();
  }

  @AfterAll
  void closeScorer() {
    if (scorer != null) {
      scorer.close();
    }
  }

  /** The scorer under test. */
  protected Scorer scorer() {
    return scorer;
  }

  @Test
  void returnsOneResultPerPromptInOrderOverTheLabels() {
    List<LabelScores> scores = scorer.scoreAll(prompts(), labels());
    assertThat(scores).as("results of scoreAll").hasSize(prompts().size());
    for (LabelScores s : scores) {
      assertThat(s.labels()).isEqualTo(labels());
      assertThat(s.kind()).isEqualTo(scorer.kind());
    }
    assertThat(scorer.scoreBatch(List.of(), labels())).as("results of an empty batch").isEmpty();
    assertThat(scorer.scoreBatch(List.of(prompts().get(0)), labels())).hasSize(1);
  }

  @Test
  void scoresAreLogScores() {
    List<LabelScores> scores = scorer.scoreAll(prompts(), labels());
    for (int i = 0; i < scores.size(); i++) {
      double[] v = scores.get(i).toArray();
      assertThat(v).as("scores of prompt %d", i).hasSize(labels().size());
      boolean anyFinite = false;
      for (double x : v) {
        assertThat(Double.isNaN(x) || x == Double.POSITIVE_INFINITY)
            .as("prompt %d score %s", i, x)
            .isFalse();
        anyFinite |= Double.isFinite(x);
      }
      assertThat(anyFinite).as("prompt %d has a finite score", i).isTrue();
    }
  }

  @Test
  void batchingDoesNotChangeScores() {
    List<LabelScores> batched = scorer.scoreBatch(prompts(), labels());
    assertThat(batched).hasSize(prompts().size());
    for (int i = 0; i < prompts().size(); i++) {
      double[] alone = scorer.score(prompts().get(i), labels()).toArray();
      assertThat(batched.get(i).toArray())
          .as("prompt %d batched vs alone", i)
          .containsExactly(alone, within(tolerance()));
    }
  }

  @Test
  void scoringIsDeterministic() {
    List<LabelScores> first = scorer.scoreAll(prompts(), labels());
    List<LabelScores> second = scorer.scoreAll(prompts(), labels());
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).toArray())
          .as("prompt %d", i)
          .containsExactly(first.get(i).toArray(), within(tolerance()));
    }
  }

  @Test
  void nullPromptIsAnIllegalArgument() {
    assertThatThrownBy(() -> scorer.scoreBatch(Arrays.asList("fine", null), labels()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void modelIdIsStableAndNotBlank() {
    assertThat(scorer.modelId()).isNotBlank().isEqualTo(scorer.modelId());
  }

  /** The fingerprint (content-free cache key and provenance) is stable and not blank. */
  @Test
  void fingerprintIsStableAndNotBlank() {
    assertThat(scorer.fingerprint()).isNotBlank().isEqualTo(scorer.fingerprint());
  }

  @Test
  void manyThreadsGetTheSerialResults() throws Exception {
    if (!threadSafe()) {
      return;
    }
    List<LabelScores> serial = scorer.scoreAll(prompts(), labels());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<LabelScores>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> scorer.scoreAll(prompts(), labels())));
      }
      for (Future<List<LabelScores>> f : futures) {
        List<LabelScores> parallel = f.get();
        for (int i = 0; i < serial.size(); i++) {
          assertThat(parallel.get(i).toArray())
              .containsExactly(serial.get(i).toArray(), within(tolerance()));
        }
      }
    } finally {
      pool.shutdown();
    }
  }
}
