package io.calibra.sensitivity;

import io.calibra.backend.LabelScores;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MethodFit;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.Metrics;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How much accuracy and calibration change with the prompt: draws {@code N} seeded prompts (a
 * template, {@code K} demonstrations of a pool and their order), scores labelled rows under each
 * and reports each prompt's accuracy, macro-F1, ECE and NLL raw, after contextual calibration (Zhao
 * et al. 2021) fitted on the prompt's own content-free inputs, and optionally after a method fitted
 * on dev rows scored under the same prompt; then the spread of each across prompts.
 *
 * <pre>{@code
 * PromptSensitivity study =
 *     PromptSensitivity.builder(labels)
 *         .templates(List.of(reviewFormat, qaFormat))  // formats, without demonstrations
 *         .demonstrations(pool)                        // labelled texts to draw from
 *         .shots(4).prompts(10).seed(0)
 *         .build();
 * SensitivityReport r = study.run(PromptScoring.rendering(scorer), texts, gold);
 * Spread raw = r.spread().get("raw").get("accuracy");
 * Spread contextual = r.spread().get("contextual").get("accuracy");
 * }</pre>
 *
 * <p><b>The draws</b>, reproducible outside Java: prompt {@code p} reads the SplitMix64 stream of
 * {@link Bootstrap} ({@code s_p = mix64(seed + G (p + 1))}, draw {@code j} is {@code x_j =
 * mix64(s_p + G (j + 1))}, {@code G = 0x9E3779B97F4A7C15}) and maps a draw to {@code [0, m)} as
 * {@code ((x >>> 32) m) >>> 32}. Draw 0 picks the template among {@code T}; draws {@code 1..K} run
 * a partial Fisher-Yates shuffle of the pool's indices {@code a = [0, n)}: for {@code i = 0..K-1},
 * swap {@code a[i]} with {@code a[i + u]}, {@code u} draw {@code i + 1} mapped to {@code [0, n -
 * i)}. The prompt's demonstrations are {@code a[0..K)} in that order: {@code K} distinct
 * demonstrations, every ordered choice equally likely (up to the mapping's bias, below {@code n /
 * 2^32}).
 *
 * <p>Immutable and thread-safe; {@link #run} calls the scoring once per prompt, in draw order.
 */
public final class PromptSensitivity {
  /** The method key of the uncalibrated scores. */
  public static final String RAW = "raw";

  /** The method key of contextual calibration from the prompt's content-free inputs. */
  public static final String CONTEXTUAL = "contextual";

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final LabelSet labels;
  private final List<PromptTemplate> templates;
  private final List<Demonstration> pool;
  private final int shots;
  private final int prompts;
  private final long seed;
  private final List<String> contentFreeInputs;
  private final int bins;
  private final MethodFit.LabelledRows fitted;
  private final List<String> devTexts;
  private final int[] devGold;

  private PromptSensitivity(Builder b) {
    this.labels = b.labels;
    this.templates = List.copyOf(b.templates);
    this.pool = List.copyOf(b.pool);
    this.shots = b.shots;
    this.prompts = b.prompts;
    this.seed = b.seed;
    this.contentFreeInputs = List.copyOf(b.contentFreeInputs);
    this.bins = b.bins;
    this.fitted = b.fitted;
    this.devTexts = b.devTexts == null ? List.of() : List.copyOf(b.devTexts);
    this.devGold = b.devGold == null ? new int[0] : b.devGold.clone();
  }

  /** A builder over {@code labels}. */
  public static Builder builder(LabelSet labels) {
    return new Builder(Objects.requireNonNull(labels, "labels"));
  }

  /** The drawn prompts, in order (as described in the class documentation). */
  public List<PromptDraw> draws() {
    List<PromptDraw> out = new ArrayList<>(prompts);
    for (int p = 0; p < prompts; p++) {
      long s = Bootstrap.mix64(seed + GOLDEN * (p + 1L));
      int t = below(s, 0, templates.size());
      int[] a = new int[pool.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = i;
      }
      List<Integer> chosen = new ArrayList<>(shots);
      PromptTemplate.Builder prompt = templates.get(t).toBuilder();
      for (int i = 0; i < shots; i++) {
        int j = i + below(s, i + 1, a.length - i);
        int swap = a[i];
        a[i] = a[j];
        a[j] = swap;
        chosen.add(a[i]);
        Demonstration d = pool.get(a[i]);
        prompt.demonstration(d.text(), d.label());
      }
      out.add(new PromptDraw(p, t, chosen, prompt.build()));
    }
    return out;
  }

  /** Draw {@code j} of the stream {@code s} mapped to {@code [0, m)}. */
  private static int below(long s, int j, int m) {
    long x = Bootstrap.mix64(s + GOLDEN * (j + 1L));
    return (int) (((x >>> 32) * m) >>> 32);
  }

  /**
   * Scores {@code texts} under every drawn prompt and measures them.
   *
   * @param scoring scores inputs under a prompt
   * @param texts the rows to evaluate on
   * @param gold their gold label indices
   * @throws IllegalArgumentException if {@code texts} and {@code gold} differ in length, a gold
   *     index is out of range, or a prompt's calibration cannot be fitted (naming the prompt)
   * @throws IllegalStateException if the scoring returns the wrong number of scores or scores over
   *     other labels
   */
  public SensitivityReport run(PromptScoring scoring, List<String> texts, int[] gold) {
    Objects.requireNonNull(scoring, "scoring");
    LabelledSet.of(uniform(texts.size()), gold); // checks the lengths and gold indices
    List<String> methods = new ArrayList<>(List.of(RAW, CONTEXTUAL));
    if (fitted != null) {
      methods.add(fitted.method().methodName());
    }
    List<String> inputs = new ArrayList<>(texts);
    inputs.addAll(contentFreeInputs);
    inputs.addAll(devTexts);
    List<PromptResult> results = new ArrayList<>();
    for (PromptDraw draw : draws()) {
      List<LabelScores> scores = scoring.score(draw.prompt(), inputs, labels);
      if (scores == null || scores.size() != inputs.size()) {
        throw new IllegalStateException(
            "prompt "
                + (draw.index() + 1)
                + ": the scoring returned "
                + (scores == null ? "null" : scores.size() + " scores")
                + " for "
                + inputs.size()
                + " inputs; expected one per input");
      }
      for (LabelScores s : scores) {
        labels.requireSame(s.labels(), "prompt " + (draw.index() + 1) + " scores");
      }
      int n = texts.size();
      int c = contentFreeInputs.size();
      List<LabelScores> rows = scores.subList(0, n);
      List<LabelDistribution> raw = distributions(rows);
      Map<String, PromptMetrics> metrics = new LinkedHashMap<>();
      metrics.put(RAW, measure(raw, gold));
      try {
        Calibrator contextual =
            ContextualCalibration.fitScores(
                scores.subList(n, n + c), ContextualCalibration.Form.DIAGONAL);
        metrics.put(CONTEXTUAL, measure(contextual.applyAll(raw), gold));
        if (fitted != null) {
          LabelledSet dev =
              LabelledSet.of(distributions(scores.subList(n + c, scores.size())), devGold);
          metrics.put(fitted.method().methodName(), measure(fitted.fit(dev).applyAll(raw), gold));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "prompt " + (draw.index() + 1) + ": " + e.getMessage(), e);
      }
      results.add(new PromptResult(draw, rows, metrics));
    }
    Map<String, Map<String, Spread>> spread = new LinkedHashMap<>();
    for (String method : methods) {
      Map<String, Spread> byMetric = new LinkedHashMap<>();
      for (String key : PromptMetrics.KEYS) {
        byMetric.put(
            key,
            Spread.of(
                results.stream()
                    .mapToDouble(r -> r.metrics().get(method).byKey().get(key))
                    .toArray()));
      }
      spread.put(method, byMetric);
    }
    return new SensitivityReport(results, methods, spread);
  }

  private List<LabelDistribution> uniform(int n) {
    List<LabelDistribution> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(LabelDistribution.uniform(labels));
    }
    return out;
  }

  private static List<LabelDistribution> distributions(List<LabelScores> scores) {
    List<LabelDistribution> out = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      out.add(s.toDistribution());
    }
    return out;
  }

  private PromptMetrics measure(List<LabelDistribution> rows, int[] gold) {
    return PromptMetrics.of(Metrics.evaluate(LabelledSet.of(rows, gold), bins));
  }

  @Override
  public String toString() {
    return "PromptSensitivity{templates="
        + templates.size()
        + ", pool="
        + pool.size()
        + ", shots="
        + shots
        + ", prompts="
        + prompts
        + ", seed="
        + seed
        + (fitted == null ? "" : ", fitted=" + fitted.method().methodName())
        + "}";
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final LabelSet labels;
    private List<PromptTemplate> templates;
    private List<Demonstration> pool = List.of();
    private int shots = 4;
    private int prompts = 10;
    private long seed;
    private List<String> contentFreeInputs = ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS;
    private int bins = 15;
    private MethodFit.LabelledRows fitted;
    private List<String> devTexts;
    private int[] devGold;

    private Builder(LabelSet labels) {
      this.labels = labels;
    }

    /**
     * The prompt formats to draw from (default: one with no text around the input). Each gives the
     * instruction, prefixes and separators; the drawn demonstrations fill it, so it must have none
     * of its own.
     */
    public Builder templates(List<PromptTemplate> value) {
      this.templates = List.copyOf(value);
      return this;
    }

    /** The labelled texts to draw demonstrations from. */
    public Builder demonstrations(List<Demonstration> value) {
      this.pool = List.copyOf(value);
      return this;
    }

    /** Demonstrations per prompt, 0 (zero-shot) to the pool's size (default 4). */
    public Builder shots(int value) {
      this.shots = value;
      return this;
    }

    /** How many prompts to draw, at least 2 (default 10). */
    public Builder prompts(int value) {
      this.prompts = value;
      return this;
    }

    /** The seed of the draws (default 0). */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The content-free inputs of contextual calibration (default "N/A", "" and "[MASK]"). */
    public Builder contentFreeInputs(List<String> value) {
      this.contentFreeInputs = List.copyOf(value);
      return this;
    }

    /** The equal-width bins of the ECE (default 15). */
    public Builder bins(int value) {
      this.bins = value;
      return this;
    }

    /**
     * Also fit {@code method} (fitted on labelled rows, such as temperature scaling: {@code
     * (MethodFit.LabelledRows) CalibrationMethod.TEMPERATURE.fitting()}) on dev rows scored under
     * each prompt, and measure the rows after it.
     */
    public Builder fitted(MethodFit.LabelledRows method, List<String> texts, int[] gold) {
      this.fitted = Objects.requireNonNull(method, "method");
      this.devTexts = List.copyOf(texts);
      this.devGold = gold.clone();
      return this;
    }

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if a template has demonstrations or other labels, a
     *     demonstration's label is unknown, shots is negative or above the pool's size, prompts is
     *     below 2, bins below 1, there are no content-free inputs, or the fitted method's dev rows
     *     cannot fit it
     */
    public PromptSensitivity build() {
      List<PromptTemplate> t =
          templates == null || templates.isEmpty()
              ? List.of(PromptTemplate.identity(labels))
              : templates;
      for (int i = 0; i < t.size(); i++) {
        t.get(i).labels().requireSame(labels, "template " + (i + 1));
        if (!t.get(i).demonstrations().isEmpty()) {
          throw new IllegalArgumentException(
              "template "
                  + (i + 1)
                  + " has "
                  + t.get(i).demonstrations().size()
                  + " demonstrations; expected none: the demonstrations are drawn from the pool");
        }
      }
      templates = t;
      for (int i = 0; i < pool.size(); i++) {
        if (labels.indexOf(pool.get(i).label()).isEmpty()) {
          throw new IllegalArgumentException(
              "demonstration "
                  + (i + 1)
                  + " has label '"
                  + pool.get(i).label()
                  + "'; expected one of "
                  + labels.names());
        }
      }
      if (shots < 0 || shots > pool.size()) {
        throw new IllegalArgumentException(
            "shots is "
                + shots
                + " with "
                + pool.size()
                + " demonstrations to draw from; expected 0 to "
                + pool.size());
      }
      if (prompts < 2) {
        throw new IllegalArgumentException(
            "prompts is " + prompts + "; expected at least 2 (a spread needs 2 prompts)");
      }
      if (bins < 1) {
        throw new IllegalArgumentException("bins is " + bins + "; expected at least 1");
      }
      if (contentFreeInputs.isEmpty()) {
        throw new IllegalArgumentException(
            "no content-free inputs; contextual calibration needs at least one");
      }
      if (fitted != null) {
        List<LabelDistribution> u = new ArrayList<>();
        for (int i = 0; i < devTexts.size(); i++) {
          u.add(LabelDistribution.uniform(labels));
        }
        LabelledSet.of(u, devGold).requireFittable(fitted.method().methodName());
      }
      return new PromptSensitivity(this);
    }
  }
}
