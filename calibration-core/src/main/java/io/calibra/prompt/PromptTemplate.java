package io.calibra.prompt;

import io.calibra.label.LabelSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A few-shot prompt: {@code instruction}, then each demonstration as {@code inputPrefix + text +
 * inputAnswerSeparator + answerPrefix + word}, where {@code word} is the demonstration label's
 * first verbalizer word, joined by {@code demonstrationSeparator}; then the query {@code
 * inputPrefix + input + inputAnswerSeparator + answerPrefix}, which the model continues with a
 * label word.
 *
 * <p>This is the layout of the reference code of Zhao et al. 2021: with {@code inputPrefix =
 * "Review: "}, {@code answerPrefix = "Sentiment:"} and words {@code " negative"}/{@code "
 * positive"}, a prompt reads {@code "Review: a gem\nSentiment: positive\n\nReview:
 * <input>\nSentiment:"}.
 *
 * <p>Immutable and thread-safe. {@link #identity(LabelSet)} renders the input alone, for
 * classifiers that take raw text.
 */
public final class PromptTemplate {
  private final LabelSet labels;
  private final String instruction;
  private final List<Demonstration> demonstrations;
  private final String inputPrefix;
  private final String inputAnswerSeparator;
  private final String answerPrefix;
  private final String demonstrationSeparator;
  private final String fingerprint;

  private PromptTemplate(Builder b) {
    this.labels = Objects.requireNonNull(b.labels, "labels");
    this.instruction = requireText(b.instruction, "instruction");
    this.inputPrefix = requireText(b.inputPrefix, "inputPrefix");
    this.inputAnswerSeparator = requireText(b.inputAnswerSeparator, "inputAnswerSeparator");
    this.answerPrefix = requireText(b.answerPrefix, "answerPrefix");
    this.demonstrationSeparator = requireText(b.demonstrationSeparator, "demonstrationSeparator");
    List<Demonstration> demos = new ArrayList<>();
    for (int i = 0; i < b.demonstrations.size(); i++) {
      Demonstration d = b.demonstrations.get(i);
      if (labels.indexOf(d.label()).isEmpty()) {
        throw new IllegalArgumentException(
            "demonstration "
                + i
                + " has label '"
                + d.label()
                + "'; expected one of "
                + labels.names());
      }
      demos.add(d);
    }
    this.demonstrations = List.copyOf(demos);
    this.fingerprint = computeFingerprint();
  }

  private static String requireText(String s, String what) {
    if (s == null) {
      throw new IllegalArgumentException(what + " is null; expected a string (may be empty)");
    }
    return s;
  }

  /** A builder for a template over {@code labels}, with every part empty. */
  public static Builder builder(LabelSet labels) {
    return new Builder(labels);
  }

  /** The template that renders the input unchanged: no instruction, demonstrations or prefixes. */
  public static PromptTemplate identity(LabelSet labels) {
    return builder(labels).build();
  }

  /**
   * Renders the prompt for {@code input}.
   *
   * @throws IllegalArgumentException if {@code input} is null
   */
  public String render(String input) {
    if (input == null) {
      throw new IllegalArgumentException("input is null; expected a string (may be empty)");
    }
    StringBuilder sb = new StringBuilder(instruction);
    for (Demonstration d : demonstrations) {
      String word = labels.words(labels.requireIndex(d.label())).get(0);
      sb.append(inputPrefix)
          .append(d.text())
          .append(inputAnswerSeparator)
          .append(answerPrefix)
          .append(word)
          .append(demonstrationSeparator);
    }
    return sb.append(inputPrefix)
        .append(input)
        .append(inputAnswerSeparator)
        .append(answerPrefix)
        .toString();
  }

  /**
   * The fixed part of every prompt: the instruction, the demonstrations and the input prefix, that
   * is the text before the input slot. {@code render(input)} starts with it for every input, so a
   * scorer can reuse work done on it (see {@link io.calibra.backend.Scorer#withPromptPrefix}). Not
   * part of the fingerprint: it is derived from the parts that are.
   */
  public String prefix() {
    String rendered = render("");
    return rendered.substring(
        0, rendered.length() - inputAnswerSeparator.length() - answerPrefix.length());
  }

  /** Renders the prompt for each input, in order. */
  public List<String> renderAll(List<String> inputs) {
    List<String> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i) == null) {
        throw new IllegalArgumentException(
            "input " + i + " is null; expected a string (may be empty)");
      }
      out.add(render(inputs.get(i)));
    }
    return out;
  }

  /** What to do when a rendered prompt is longer than the model's context. */
  public enum Overflow {
    /** Render it anyway; the scorer then rejects it, naming the prompt and its length. */
    FAIL,
    /** Drop the oldest demonstrations, one at a time, until the prompt fits. */
    DROP_OLDEST_DEMONSTRATIONS
  }

  /**
   * Renders {@code input} so that it has at most {@code maxTokens} tokens as counted by {@code
   * tokenCounter} (a scorer's tokenizer). Under {@link Overflow#FAIL} a prompt that does not fit is
   * an error; under {@link Overflow#DROP_OLDEST_DEMONSTRATIONS} the oldest demonstrations are
   * dropped until it fits.
   *
   * @throws IllegalArgumentException if the prompt cannot fit (naming its length and the limit)
   */
  public String renderWithin(
      String input,
      java.util.function.ToIntFunction<String> tokenCounter,
      int maxTokens,
      Overflow overflow) {
    PromptTemplate t = this;
    while (true) {
      String prompt = t.render(input);
      int tokens = tokenCounter.applyAsInt(prompt);
      if (tokens <= maxTokens) {
        return prompt;
      }
      if (overflow == Overflow.FAIL || t.demonstrations.isEmpty()) {
        throw new IllegalArgumentException(
            "prompt has "
                + tokens
                + " tokens with "
                + t.demonstrations.size()
                + " demonstrations; the model takes at most "
                + maxTokens
                + (overflow == Overflow.FAIL
                    ? " (allow dropping the oldest demonstrations?)"
                    : ""));
      }
      t = t.withoutOldestDemonstrations(1);
    }
  }

  /**
   * The same template with the oldest {@code count} demonstrations dropped, for prompts that exceed
   * a model's context.
   */
  public PromptTemplate withoutOldestDemonstrations(int count) {
    if (count < 0 || count > demonstrations.size()) {
      throw new IllegalArgumentException(
          "cannot drop " + count + " of " + demonstrations.size() + " demonstrations");
    }
    Builder b = toBuilder();
    b.demonstrations.clear();
    b.demonstrations.addAll(demonstrations.subList(count, demonstrations.size()));
    return b.build();
  }

  /** A builder holding this template's parts. */
  public Builder toBuilder() {
    Builder b = new Builder(labels);
    b.instruction = instruction;
    b.inputPrefix = inputPrefix;
    b.inputAnswerSeparator = inputAnswerSeparator;
    b.answerPrefix = answerPrefix;
    b.demonstrationSeparator = demonstrationSeparator;
    b.demonstrations.addAll(demonstrations);
    return b;
  }

  /**
   * A stable hex SHA-256 of every part of the template and of the label set, to key caches and to
   * record in provenance. Equal templates have equal fingerprints, across runs and machines.
   */
  public String fingerprint() {
    return fingerprint;
  }

  private String computeFingerprint() {
    List<String> parts = new ArrayList<>();
    parts.add("calibra-prompt-v1");
    for (int i = 0; i < labels.size(); i++) {
      parts.add(labels.name(i));
      parts.add(String.valueOf(labels.words(i).size()));
      parts.addAll(labels.words(i));
    }
    parts.add(instruction);
    parts.add(inputPrefix);
    parts.add(inputAnswerSeparator);
    parts.add(answerPrefix);
    parts.add(demonstrationSeparator);
    parts.add(String.valueOf(demonstrations.size()));
    for (Demonstration d : demonstrations) {
      parts.add(d.text());
      parts.add(d.label());
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so that moving text between parts changes the fingerprint.
        sha.update(String.valueOf(bytes.length).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) ':');
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** The label set. */
  public LabelSet labels() {
    return labels;
  }

  /** The instruction that opens the prompt. */
  public String instruction() {
    return instruction;
  }

  /** The demonstrations, in prompt order. */
  public List<Demonstration> demonstrations() {
    return demonstrations;
  }

  /** The text before each input. */
  public String inputPrefix() {
    return inputPrefix;
  }

  /** The text between an input and its answer prefix. */
  public String inputAnswerSeparator() {
    return inputAnswerSeparator;
  }

  /** The text before each answer. */
  public String answerPrefix() {
    return answerPrefix;
  }

  /** The text after each demonstration. */
  public String demonstrationSeparator() {
    return demonstrationSeparator;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplate other && fingerprint.equals(other.fingerprint);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "PromptTemplate{labels="
        + labels.names()
        + ", demonstrations="
        + demonstrations.size()
        + ", fingerprint="
        + fingerprint.substring(0, 12)
        + "}";
  }

  /** Collects a template's parts; not thread-safe. Every part defaults to the empty string. */
  public static final class Builder {
    private final LabelSet labels;
    private String instruction = "";
    private String inputPrefix = "";
    private String inputAnswerSeparator = "";
    private String answerPrefix = "";
    private String demonstrationSeparator = "";
    private final List<Demonstration> demonstrations = new ArrayList<>();

    private Builder(LabelSet labels) {
      this.labels = labels;
    }

    /** Text that opens the prompt (include its own trailing separator). */
    public Builder instruction(String text) {
      this.instruction = text;
      return this;
    }

    /** Text before each input, such as {@code "Review: "}. */
    public Builder inputPrefix(String text) {
      this.inputPrefix = text;
      return this;
    }

    /** Text between an input and the answer prefix, such as {@code "\n"}. */
    public Builder inputAnswerSeparator(String text) {
      this.inputAnswerSeparator = text;
      return this;
    }

    /** Text before each answer, such as {@code "Sentiment:"}. */
    public Builder answerPrefix(String text) {
      this.answerPrefix = text;
      return this;
    }

    /** Text after each demonstration, such as {@code "\n\n"}. */
    public Builder demonstrationSeparator(String text) {
      this.demonstrationSeparator = text;
      return this;
    }

    /** Adds a demonstration; its label must be in the label set. */
    public Builder demonstration(String text, String label) {
      demonstrations.add(new Demonstration(text, label));
      return this;
    }

    /**
     * Builds the template.
     *
     * @throws IllegalArgumentException if a part is null or a demonstration's label is unknown
     */
    public PromptTemplate build() {
      return new PromptTemplate(this);
    }
  }
}
