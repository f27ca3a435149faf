package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prefix (key/value cache) reuse on the random-weight GPT-2 fixture with past_key_values
 * (src/test/fixtures/make_gpt2_tiny.py): the expected values are the scores of the same scorer on
 * whole prompts (the path without reuse, itself checked against PyTorch by {@link
 * Gpt2FixtureTest}), and for the fixture's own few-shot prompt PyTorch's values in expected.json.
 */
class PrefixReuseTest {
  /** Single-token words (" negative", " positive") and multi-token ones (" wonderfully good"). */
  static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", " negative", " terrible")
          .add("positive", " positive", " wonderfully good")
          .build();

  /**
   * Multi-token words only (two and four tokens), so that each label's score is its words' chain
   * rule alone and not dominated by a single-token word.
   */
  static final LabelSet MULTI =
      LabelSet.builder()
          .add("negative", " not good at all")
          .add("positive", " wonderfully good")
          .build();

  static final List<String> INPUTS =
      List.of(
          "a gem of a film",
          "dull and slow",
          "N/A",
          "",
          " leading space",
          "\nnewline first",
          "émigré café, naïve",
          "it's not bad... it's 10/10!!",
          "The",
          "a",
          "an unexpectedly long input sentence that goes on for a while to make the suffix longer"
              + " than the others in its batch");

  static PromptTemplate template;
  static Scorer whole;
  static List<String> prompts;
  static List<LabelScores> expected;
  static List<LabelScores> expectedMulti;

  @BeforeAll
  static void open() {
    template =
        PromptTemplate.builder(LABELS)
            .instruction("Classify the sentiment.\n\n")
            .inputPrefix("Review: ")
            .inputAnswerSeparator("\n")
            .answerPrefix("Sentiment:")
            .demonstrationSeparator("\n\n")
            .demonstration("a gem of a film", "positive")
            .demonstration("dull and slow", "negative")
            .build();
    whole = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).prefixCacheBytes(0).build();
    prompts = template.renderAll(INPUTS);
    expected = new ArrayList<>();
    expectedMulti = new ArrayList<>();
    for (String p : prompts) {
      expected.add(whole.score(p, LABELS));
      expectedMulti.add(whole.score(p, MULTI));
    }
  }

  @AfterAll
  static void close() {
    whole.close();
  }

  static void assertSame(List<LabelScores> got, List<LabelScores> want, String what) {
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).toArray())
          .as("%s prompt %d", what, i)
          .containsExactly(want.get(i).toArray(), within(1e-4));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 16})
  void batchedAndUnbatchedMatchWholePrompts(int batchSize) {
    try (Scorer s = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).batchSize(batchSize).build()) {
      Scorer view = s.withPromptPrefix(template.prefix());
      assertThat(view).isNotSameAs(s);
      assertSame(view.scoreAll(prompts, LABELS), expected, "batched");
      List<LabelScores> one = new ArrayList<>();
      for (String p : prompts) {
        one.add(view.score(p, LABELS));
      }
      assertSame(one, expected, "one at a time");
      assertSame(view.scoreAll(prompts, MULTI), expectedMulti, "multi-token words, batched");
      for (int i = 0; i < prompts.size(); i++) {
        assertSame(
            List.of(view.score(prompts.get(i), MULTI)),
            List.of(expectedMulti.get(i)),
            "multi-token words, prompt " + i + " alone");
      }
      assertThat(((CausalLmScorer) s).prefixCacheBytes()).as("one prefix cache held").isPositive();
      assertThat(view.fingerprint()).isEqualTo(s.fingerprint()).isEqualTo(whole.fingerprint());
    }
  }

  /**
   * Every word read from the runs that serve a label set's words together (the first multi-token
   * word's tokens carried in the prompt's own run, the others continued on its cache with those
   * tokens and the batch's padding masked out) scores what it scores as the only multi-token word
   * of a label set, run on its own. One word a label, so that a label's score is that word's alone.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 4, 16})
  void wordsContinuedTogetherScoreAsEachWordAlone(int batchSize) {
    String[] words = {" not good at all", " negative", " very bad", " wonderfully good", " fine"};
    LabelSet.Builder builder = LabelSet.builder();
    for (int k = 0; k < words.length; k++) {
      builder.add("label" + k, words[k]);
    }
    LabelSet together = builder.build();
    try (Scorer s = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).batchSize(batchSize).build()) {
      for (Scorer scorer : List.of(s, s.withPromptPrefix(template.prefix()))) {
        List<LabelScores> got = scorer.scoreAll(prompts, together);
        for (int k = 0; k < words.length; k++) {
          LabelSet alone = LabelSet.builder().add("word", words[k]).add("other", " the").build();
          List<LabelScores> want = scorer.scoreAll(prompts, alone);
          for (int i = 0; i < prompts.size(); i++) {
            assertThat(got.get(i).toArray()[k])
                .as("%s, word '%s', prompt %d", scorer, words[k], i)
                .isCloseTo(want.get(i).toArray()[0], within(1e-4));
          }
        }
      }
    }
  }

  @Test
  void fixturePromptMatchesPyTorch() throws IOException {
    // expected.json prompt 0 is a one-demonstration prompt; PyTorch scored it whole.
    JsonNode fixture =
        new ObjectMapper()
            .readTree(ExactFixtures.folder("gpt2-tiny").resolve("expected.json").toFile());
    String prompt = fixture.get("prompts").get(0).asText();
    LabelSet labels =
        LabelSet.builder()
            .add("negative", " negative", " terrible")
            .add("positive", " positive", " wonderfully good")
            .build();
    try (Scorer s = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).build()) {
      String prefix = prompt.substring(0, prompt.lastIndexOf("Review: ") + "Review: ".length());
      double[] got = s.withPromptPrefix(prefix).score(prompt, labels).toArray();
      JsonNode row = fixture.get("log_probabilities").get(0);
      assertThat(got)
          .containsExactly(
              new double[] {row.get(0).asDouble(), row.get(1).asDouble()}, within(1e-4));
    }
  }

  @Test
  void eightThreadsShareOneViewAndGetTheSameScores() throws Exception {
    try (Scorer s = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).batchSize(4).build()) {
      Scorer view = s.withPromptPrefix(template.prefix());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          long seed = t;
          futures.add(
              pool.submit(
                  () -> {
                    Random random = new Random(seed);
                    for (int round = 0; round < 3; round++) {
                      List<Integer> pick = new ArrayList<>();
                      for (int k = 0; k < 1 + random.nextInt(5); k++) {
                        pick.add(random.nextInt(prompts.size()));
                      }
                      boolean multi = random.nextBoolean();
                      List<String> batch = new ArrayList<>();
                      List<LabelScores> want = new ArrayList<>();
                      for (int i : pick) {
                        batch.add(prompts.get(i));
                        want.add(multi ? expectedMulti.get(i) : expected.get(i));
                      }
                      assertSame(
                          view.scoreBatch(batch, multi ? MULTI : LABELS), want, "thread " + seed);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void promptsWithoutThePrefixAndOtherTemplatesGetWholePromptScores() {
    List<String> others =
        List.of("I loved it. Overall it was", "Review: \nSentiment:", template.prefix(), "x");
    List<LabelScores> want = new ArrayList<>();
    for (String p : others) {
      want.add(whole.score(p, LABELS));
    }
    try (Scorer s = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).build()) {
      Scorer view = s.withPromptPrefix(template.prefix());
      assertSame(view.scoreAll(others, LABELS), want, "mixed");
      // mixing with prompts that do use the prefix, in one batch
      List<String> mixed = new ArrayList<>(others);
      mixed.addAll(prompts);
      List<LabelScores> wantMixed = new ArrayList<>(want);
      wantMixed.addAll(expected);
      assertSame(view.scoreBatch(mixed, LABELS), wantMixed, "mixed batch");
      // an empty prefix, and one that is a whole other template
      assertSame(s.withPromptPrefix("").scoreAll(prompts, LABELS), expected, "empty prefix");
      assertSame(
          s.withPromptPrefix("Classify the sentiment.\n\nReview: a gem").scoreAll(prompts, LABELS),
          expected,
          "prefix ending inside a demonstration word");
    }
  }

  @Test
  void beginningOfSequenceTokenIsPartOfThePrefix() {
    try (Scorer plain =
            OnnxScorers.causalLm(Gpt2FixtureTest.withPast())
                .beginningOfSequence("<|endoftext|>")
                .prefixCacheBytes(0)
                .build();
        Scorer s =
            OnnxScorers.causalLm(Gpt2FixtureTest.withPast())
                .beginningOfSequence("<|endoftext|>")
                .build()) {
      assertSame(
          s.withPromptPrefix(template.prefix()).scoreAll(prompts, LABELS),
          plain.scoreAll(prompts, LABELS),
          "with <|endoftext|>");
    }
  }

  @Test
  void cacheStaysWithinItsByteBudget() {
    // one cache of this template: 2 layers x (key, value) x 2 heads x 4 x 4 bytes per token
    long perToken = 2 * 2 * 2 * 4 * 4;
    int prefixTokens = Gpt2FixtureTest.withPast() == null ? 0 : countTokens(template.prefix());
    long budget = perToken * prefixTokens * 2 + perToken; // room for two such caches
    try (Scorer s =
        OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).prefixCacheBytes(budget).build()) {
      CausalLmScorer c = (CausalLmScorer) s;
      for (int d = 0; d < 5; d++) {
        PromptTemplate t = template.toBuilder().instruction("Variant " + d + ".\n\n").build();
        List<String> ps = t.renderAll(INPUTS.subList(0, 3));
        List<LabelScores> want = new ArrayList<>();
        for (String p : ps) {
          want.add(whole.score(p, LABELS));
        }
        assertSame(s.withPromptPrefix(t.prefix()).scoreAll(ps, LABELS), want, "variant " + d);
        assertThat(c.prefixCacheBytes())
            .as("bytes held after variant %d", d)
            .isLessThanOrEqualTo(budget);
      }
      assertThat(c.prefixCacheBytes()).as("the last caches are kept").isPositive();
    }
    try (Scorer tiny =
        OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).prefixCacheBytes(1).build()) {
      assertSame(
          tiny.withPromptPrefix(template.prefix()).scoreAll(prompts, LABELS),
          expected,
          "budget smaller than one cache");
      assertThat(((CausalLmScorer) tiny).prefixCacheBytes()).isZero();
    }
  }

  private static int countTokens(String text) {
    try (Scorer s = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).build()) {
      return ((CausalLmScorer) s).countTokens(text);
    }
  }

  @Test
  void modelsWithoutPastAndDisabledCacheKeepTodaysPath() {
    try (Scorer noPast = OnnxScorers.causalLm(Gpt2FixtureTest.withoutPast()).build();
        Scorer off = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).prefixCacheBytes(0).build()) {
      assertThat(noPast.withPromptPrefix(template.prefix())).isSameAs(noPast);
      assertThat(off.withPromptPrefix(template.prefix())).isSameAs(off);
      assertSame(
          noPast.withPromptPrefix(template.prefix()).scoreAll(prompts, LABELS),
          expected,
          "without past_key_values");
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> whole.withPromptPrefix(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prompt prefix is null");
    assertThatThrownBy(() -> OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).prefixCacheBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix cache budget is -1 bytes; expected >= 0");
    try (Scorer s = OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).maxTokens(40).build()) {
      Scorer view = s.withPromptPrefix(template.prefix());
      String longInput = "word ".repeat(60);
      assertThatThrownBy(() -> view.score(template.render(longInput), LABELS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("takes at most 40");
      assertThatThrownBy(() -> view.scoreBatch(java.util.Arrays.asList("fine", null), LABELS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt 1 is null");
    }
  }
}
