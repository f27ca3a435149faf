package io.calibra.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering in the layout of Zhao et al.'s reference code (expected strings written by hand). */
class PromptTemplateTest {
  private static final LabelSet LABELS =
      LabelSet.builder().add("negative", " Negative").add("positive", " Positive").build();

  private static PromptTemplate.Builder sst2() {
    return PromptTemplate.builder(LABELS)
        .inputPrefix("Review: ")
        .inputAnswerSeparator("\n")
        .answerPrefix("Sentiment:")
        .demonstrationSeparator("\n\n")
        .demonstration("a gem of a film", "positive")
        .demonstration("dull", "negative");
  }

  @Test
  void rendersDemonstrationsThenQuery() {
    PromptTemplate t = sst2().instruction("Classify the review.\n\n").build();
    assertThat(t.render("fine acting"))
        .isEqualTo(
            "Classify the review.\n\n"
                + "Review: a gem of a film\nSentiment: Positive\n\n"
                + "Review: dull\nSentiment: Negative\n\n"
                + "Review: fine acting\nSentiment:");
    assertThat(t.renderAll(List.of("N/A", "")))
        .containsExactly(
            "Classify the review.\n\nReview: a gem of a film\nSentiment: Positive\n\n"
                + "Review: dull\nSentiment: Negative\n\nReview: N/A\nSentiment:",
            "Classify the review.\n\nReview: a gem of a film\nSentiment: Positive\n\n"
                + "Review: dull\nSentiment: Negative\n\nReview: \nSentiment:");
    assertThat(PromptTemplate.identity(LABELS).render("raw text")).isEqualTo("raw text");
  }

  @Test
  void prefixIsTheTextBeforeTheInputSlot() {
    PromptTemplate t = sst2().instruction("Classify the review.\n\n").build();
    // written by hand from the layout above
    assertThat(t.prefix())
        .isEqualTo(
            "Classify the review.\n\n"
                + "Review: a gem of a film\nSentiment: Positive\n\n"
                + "Review: dull\nSentiment: Negative\n\n"
                + "Review: ");
    assertThat(PromptTemplate.identity(LABELS).prefix()).isEmpty();
    // seeded inputs, including ones that repeat the separators: render(x) = prefix() + x + rest
    java.util.Random random = new java.util.Random(14);
    String alphabet = "ab \nSentiment:Review";
    for (int trial = 0; trial < 200; trial++) {
      StringBuilder input = new StringBuilder();
      for (int k = random.nextInt(12); k > 0; k--) {
        input.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertThat(t.render(input.toString()))
          .as("input %s", input)
          .isEqualTo(t.prefix() + input + "\nSentiment:");
    }
    // the prefix is derived, so the fingerprint rules are unchanged: same parts, same fingerprint
    assertThat(t.toBuilder().build().fingerprint()).isEqualTo(t.fingerprint());
    assertThat(t.withoutOldestDemonstrations(2).prefix())
        .isEqualTo("Classify the review.\n\nReview: ");
  }

  @Test
  void fingerprintIsStableAndSensitiveToEveryPart() {
    PromptTemplate t = sst2().build();
    assertThat(t.fingerprint()).hasSize(64).isEqualTo(sst2().build().fingerprint());
    assertThat(t).isEqualTo(sst2().build()).hasSameHashCodeAs(sst2().build());
    assertThat(sst2().answerPrefix("Answer:").build().fingerprint()).isNotEqualTo(t.fingerprint());
    assertThat(sst2().demonstration("ok", "positive").build().fingerprint())
        .isNotEqualTo(t.fingerprint());
    // moving text between adjacent parts changes the fingerprint
    assertThat(sst2().inputPrefix("Review:").inputAnswerSeparator(" \n").build().fingerprint())
        .isNotEqualTo(
            sst2().inputPrefix("Review: ").inputAnswerSeparator("\n").build().fingerprint());
    PromptTemplate otherWords =
        PromptTemplate.builder(
                LabelSet.builder().add("negative", " bad").add("positive", " Positive").build())
            .inputPrefix("Review: ")
            .inputAnswerSeparator("\n")
            .answerPrefix("Sentiment:")
            .demonstrationSeparator("\n\n")
            .demonstration("a gem of a film", "positive")
            .demonstration("dull", "negative")
            .build();
    assertThat(otherWords.fingerprint()).isNotEqualTo(t.fingerprint());
    // Pinned: fixed across runs and machines. Expected value from an independent Python hashlib
    // computation of the documented length-prefixed SHA-256 over the template's parts.
    assertThat(PromptTemplate.identity(LabelSet.of("a", "b")).fingerprint())
        .isEqualTo("f5fc03b54d1388594cfa30f60e9ef8d9d210c5bd00a8cfe7c6c7ab7cc27eb856");
  }

  @Test
  void dropsOldestDemonstrations() {
    PromptTemplate t = sst2().build().withoutOldestDemonstrations(1);
    assertThat(t.render("x"))
        .isEqualTo("Review: dull\nSentiment: Negative\n\nReview: x\nSentiment:");
    assertThatThrownBy(() -> sst2().build().withoutOldestDemonstrations(3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void renderWithinDropsOldestDemonstrationsUntilItFits() {
    PromptTemplate t = sst2().build();
    // count characters as tokens: demonstrations of 45 and 34, query 20 (hand counted)
    java.util.function.ToIntFunction<String> chars = String::length;
    assertThat(t.render("x")).hasSize(99);
    assertThat(t.renderWithin("x", chars, 99, PromptTemplate.Overflow.FAIL))
        .isEqualTo(t.render("x"));
    assertThat(t.renderWithin("x", chars, 60, PromptTemplate.Overflow.DROP_OLDEST_DEMONSTRATIONS))
        .isEqualTo("Review: dull\nSentiment: Negative\n\nReview: x\nSentiment:");
    assertThatThrownBy(() -> t.renderWithin("x", chars, 60, PromptTemplate.Overflow.FAIL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prompt has 99 tokens with 2 demonstrations")
        .hasMessageContaining("at most 60");
    assertThatThrownBy(
            () -> t.renderWithin("x", chars, 5, PromptTemplate.Overflow.DROP_OLDEST_DEMONSTRATIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("with 0 demonstrations");
  }

  @Test
  void rejectsUnknownLabelsAndNulls() {
    assertThatThrownBy(() -> sst2().demonstration("meh", "neutral").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("demonstration 2 has label 'neutral'");
    assertThatThrownBy(() -> sst2().build().render(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input is null");
    assertThatThrownBy(() -> sst2().answerPrefix(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("answerPrefix is null");
    assertThatThrownBy(() -> new Demonstration(null, "positive"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
