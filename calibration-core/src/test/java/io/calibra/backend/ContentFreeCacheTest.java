package io.calibra.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.ContextualCalibration;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContentFreeCacheTest {
  @Test
  void queriesTheModelOncePerModelTemplateAndLabels() {
    AtomicInteger calls = new AtomicInteger();
    Scorer scorer =
        Scorers.fromClassifier(
            "counting",
            ScoreKind.LOGIT,
            t -> {
              calls.incrementAndGet();
              return new double[] {t.length(), 0};
            });
    LabelSet labels = LabelSet.of("a", "b");
    PromptTemplate plain = PromptTemplate.identity(labels);
    PromptTemplate prefixed = PromptTemplate.builder(labels).inputPrefix("Q: ").build();
    ContentFreeCache cache = new ContentFreeCache();
    List<String> inputs = ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS;
    List<LabelScores> first = cache.scores(scorer, plain, inputs);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(cache.scores(scorer, plain, inputs)).isEqualTo(first);
    assertThat(calls.get()).isEqualTo(3);
    cache.scores(scorer, prefixed, inputs);
    assertThat(calls.get()).isEqualTo(6);
    cache.scores(scorer, PromptTemplate.identity(LabelSet.of("a", "c")), inputs);
    assertThat(calls.get()).isEqualTo(9);
    assertThat(cache.size()).isEqualTo(3);
    // "N/A" has 3 characters: logit (3, 0)
    assertThat(first.get(0).toArray()).containsExactly(3.0, 0.0);
    ContextualCalibration.contentFreeDistributions(scorer, plain, inputs, cache);
    assertThat(calls.get()).isEqualTo(9);
  }
}
