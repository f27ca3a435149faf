package io.calibra.calibrate;

import io.calibra.backend.ContentFreeCache;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Contextual calibration (Zhao et al. 2021, "Calibrate Before Use: Improving Few-Shot Performance
 * of Language Models", ICML).
 *
 * <p>The model is asked about content-free inputs ("N/A", "", "[MASK]" by default) in the same
 * prompt; {@code p_cf = normalise(mean of their label distributions)} estimates its label bias. The
 * default diagonal form maps {@code p} to {@code q = normalise(p / p_cf)} (W = diag(p_cf)^-1, b =
 * 0, renormalised), so {@code p_cf} itself maps to the uniform distribution. The subtractive form
 * (W = I, b = -p_cf) returns {@code softmax(p - p_cf)}, whose argmax is the decision rule of the
 * paper's affine variant.
 *
 * <p>A {@code p_cf} entry that is zero (a label the model never gives on content-free inputs)
 * cannot be divided by and is an {@link IllegalArgumentException} naming the label.
 *
 * <p><b>The p_cf rule.</b> On a language model's label-word log-probabilities, which are not
 * normalised over the labels, there are two estimates (see {@link Rule}): the reference code's
 * {@link Rule#RAW_MASS} (mean of the raw label-word probabilities, then normalise), the default for
 * {@link ScoreKind#LOG_PROBABILITY}, and {@link Rule#NORMALISED} (normalise each input, then the
 * mean), the only rule for logits and probabilities. Fitting from {@link LabelScores} or a {@link
 * Scorer} picks the default from the scores' kind; fitting from {@link LabelDistribution}s can only
 * be {@link Rule#NORMALISED}. The rule is recorded in the calibrator ({@link #rule(Calibrator)})
 * and saved with it; it does not change how a fitted calibrator maps distributions.
 */
public final class ContextualCalibration {

  /** The diagonal form's fitting: on content-free rows, with a p_cf rule for scores. */
  static final MethodFit.ContentFreeRows DIAGONAL_FIT =
      new MethodFit.ContentFreeRows(
          CalibrationMethod.CONTEXTUAL,
          rows -> fit(rows, Form.DIAGONAL),
          (scores, rule) -> fit(scores, Form.DIAGONAL, rule));

  /** The subtractive form's fitting: on content-free rows, with a p_cf rule for scores. */
  static final MethodFit.ContentFreeRows SUBTRACTIVE_FIT =
      new MethodFit.ContentFreeRows(
          CalibrationMethod.CONTEXTUAL_SUBTRACTIVE,
          rows -> fit(rows, Form.SUBTRACTIVE),
          (scores, rule) -> fit(scores, Form.SUBTRACTIVE, rule));

  /** The diagonal form's saved stage: {@code bias} ({@code p_cf}), and its rule. */
  static final StageFormat DIAGONAL_FORMAT =
      new StageFormat(
          (labels, p) -> fromBias(labels, p.required("bias"), Form.DIAGONAL, p.rule()), "bias");

  /** The subtractive form's saved stage: {@code bias} ({@code p_cf}), and its rule. */
  static final StageFormat SUBTRACTIVE_FORMAT =
      new StageFormat(
          (labels, p) -> fromBias(labels, p.required("bias"), Form.SUBTRACTIVE, p.rule()), "bias");

  /** The content-free inputs of Zhao et al.: {@code "N/A"}, {@code ""} and {@code "[MASK]"}. */
  public static final List<String> DEFAULT_CONTENT_FREE_INPUTS = List.of("N/A", "", "[MASK]");

  /** How the content-free estimate corrects a distribution. */
  public enum Form {
    /** {@code q = normalise(p / p_cf)}: W = diag(p_cf)^-1, b = 0. The default. */
    DIAGONAL,
    /** {@code q = softmax(p - p_cf)}: W = I, b = -p_cf; for decisions. */
    SUBTRACTIVE
  }

  /**
   * How {@code p_cf} is estimated from the content-free inputs' scores.
   *
   * <p>A calibrator built from a {@code p_cf} given without a rule, and a file saved before the
   * rule was recorded, carry {@link #NORMALISED}: it was the only rule calibra had, so every such
   * file was fitted with it.
   */
  public enum Rule {
    /**
     * The reference code's rule (Zhao et al. 2021, {@code get_p_content_free} in
     * tonyzhaozh/few-shot-learning): {@code p_cf = normalise(mean over inputs of exp(logprob))},
     * the raw label-word probabilities averaged before normalising. Computed in log space
     * (log-sum-exp per label, then a softmax), so it neither underflows nor overflows. Needs
     * log-probabilities.
     */
    RAW_MASS("raw-mass"),
    /**
     * {@code p_cf = normalise(mean over inputs of softmax(scores))}: each input normalised first.
     */
    NORMALISED("normalised");

    private final String id;

    Rule(String id) {
      this.id = id;
    }

    /** The rule's name in files and on the command line: {@code raw-mass} or {@code normalised}. */
    public String id() {
      return id;
    }

    /** The default rule for scores of {@code kind}: raw mass for log-probabilities. */
    public static Rule defaultFor(ScoreKind kind) {
      Objects.requireNonNull(kind, "kind");
      return kind == ScoreKind.LOG_PROBABILITY ? RAW_MASS : NORMALISED;
    }

    /**
     * The rule named {@code text} ({@code raw-mass} or {@code normalised}, any case).
     *
     * @throws IllegalArgumentException if it is neither
     */
    public static Rule parse(String text) {
      String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
      for (Rule r : values()) {
        if (r.id.equals(t)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "p_cf rule '" + text + "' is unknown; expected raw-mass or normalised");
    }
  }

  private ContextualCalibration() {}

  /**
   * The content-free estimate from raw scores by {@code rule}.
   *
   * @throws IllegalArgumentException if the list is empty, has a null entry, mixes label sets or
   *     score kinds, or {@code rule} is {@link Rule#RAW_MASS} and the scores are logits
   */
  public static LabelDistribution estimateBias(List<LabelScores> contentFree, Rule rule) {
    return estimateBias(contentFree, rule, "contextual calibration");
  }

  static LabelDistribution estimateBias(List<LabelScores> scores, Rule rule, String what) {
    Objects.requireNonNull(rule, "rule");
    ScoreKind kind = kindOf(scores, what);
    LabelSet labels = scores.get(0).labels();
    if (rule == Rule.NORMALISED) {
      List<LabelDistribution> d = new ArrayList<>(scores.size());
      for (LabelScores s : scores) {
        d.add(s.toDistribution());
      }
      return BiasEstimates.mean(d, what);
    }
    if (kind != ScoreKind.LOG_PROBABILITY) {
      throw new IllegalArgumentException(
          what
              + ": the raw-mass p_cf rule needs log-probabilities; found "
              + kind.name().toLowerCase(Locale.ROOT)
              + " scores (use the normalised rule)");
    }
    int k = labels.size();
    // The log of each label's summed mass: the mean's 1/n is the same for every label, and the
    // normalisation removes it.
    double[] logMass = new double[k];
    for (int j = 0; j < k; j++) {
      double max = Double.NEGATIVE_INFINITY;
      for (LabelScores s : scores) {
        max = Math.max(max, s.score(j));
      }
      if (max == Double.NEGATIVE_INFINITY) {
        logMass[j] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double sum = 0;
      for (LabelScores s : scores) {
        sum += Math.exp(s.score(j) - max);
      }
      logMass[j] = max + Math.log(sum);
    }
    return LabelDistribution.ofLogits(labels, logMass);
  }

  private static ScoreKind kindOf(List<LabelScores> scores, String what) {
    Objects.requireNonNull(scores, "scores");
    if (scores == null || scores.isEmpty()) {
      throw new IllegalArgumentException(
          what + " needs at least one content-free score; found none");
    }
    LabelScores first = scores.get(0);
    if (first == null) {
      throw new IllegalArgumentException(what + ": content-free score 0 is null");
    }
    for (int i = 1; i < scores.size(); i++) {
      LabelScores s = scores.get(i);
      if (s == null) {
        throw new IllegalArgumentException(what + ": content-free score " + i + " is null");
      }
      first.labels().requireSame(s.labels(), what + " score " + i);
      if (s.kind() != first.kind()) {
        throw new IllegalArgumentException(
            what
                + ": content-free score "
                + i
                + " is "
                + s.kind()
                + " but score 0 is "
                + first.kind()
                + "; expected one kind");
      }
    }
    return first.kind();
  }

  /**
   * The calibrator of the given form from raw content-free scores, with {@code p_cf} estimated by
   * {@code rule} (and recorded).
   *
   * @throws IllegalArgumentException as {@link #estimateBias(List, Rule)}, or if a diagonal form's
   *     {@code p_cf} has a zero entry (naming the label)
   */
  public static Calibrator fit(List<LabelScores> contentFree, Form form, Rule rule) {
    Objects.requireNonNull(form, "form");
    return fromBias(estimateBias(contentFree, rule), form, rule);
  }

  /**
   * The calibrator of the given form from raw content-free scores, with the default rule for their
   * kind: {@link Rule#RAW_MASS} for log-probabilities, {@link Rule#NORMALISED} for logits.
   */
  public static Calibrator fitScores(List<LabelScores> contentFree, Form form) {
    Objects.requireNonNull(form, "form");
    return fit(contentFree, form, Rule.defaultFor(kindOf(contentFree, "contextual calibration")));
  }

  /**
   * The calibrator of the given form for a known {@code p_cf} estimated by {@code rule} (recorded,
   * and saved with it).
   */
  public static Calibrator fromBias(LabelDistribution pcf, Form form, Rule rule) {
    Objects.requireNonNull(pcf, "pcf");
    Objects.requireNonNull(form, "form");
    Objects.requireNonNull(rule, "rule");
    return form == Form.DIAGONAL
        ? new DiagonalBiasCorrection(CalibrationMethod.CONTEXTUAL, pcf, rule)
        : new SubtractiveBiasCorrection(pcf, rule);
  }

  /**
   * As {@link #fromBias(LabelSet, double[], Form)}, recording {@code rule}.
   *
   * @throws IllegalArgumentException as {@link #fromBias(LabelSet, double[], Form)}
   */
  public static Calibrator fromBias(LabelSet labels, double[] pcf, Form form, Rule rule) {
    Objects.requireNonNull(form, "form");
    Objects.requireNonNull(rule, "rule");
    return form == Form.DIAGONAL
        ? new DiagonalBiasCorrection(CalibrationMethod.CONTEXTUAL, labels, pcf, rule)
        : new SubtractiveBiasCorrection(labels, pcf, rule);
  }

  /**
   * The p_cf rule recorded in a contextual, contextual-subtractive or domain-context stage; empty
   * for other calibrators (and pipelines: ask each of their {@link Calibrator#stages()}).
   */
  public static Optional<Rule> rule(Calibrator stage) {
    Objects.requireNonNull(stage, "stage");
    if (stage instanceof DiagonalBiasCorrection d) {
      return Optional.ofNullable(d.rule());
    }
    if (stage instanceof SubtractiveBiasCorrection s) {
      return Optional.ofNullable(s.rule());
    }
    return Optional.empty();
  }

  /**
   * The content-free estimate: {@code p_cf = normalise(mean of the distributions)}.
   *
   * @throws IllegalArgumentException if the list is empty or mixes label sets
   */
  public static LabelDistribution estimateBias(List<LabelDistribution> contentFree) {
    return BiasEstimates.mean(contentFree, "contextual calibration");
  }

  /**
   * The diagonal calibrator for the content-free distributions' mean ({@link Rule#NORMALISED}: a
   * distribution has no raw mass left; fit from {@link LabelScores} for the reference rule).
   */
  public static Calibrator fit(List<LabelDistribution> contentFree) {
    return fromBias(estimateBias(contentFree), Form.DIAGONAL, Rule.NORMALISED);
  }

  /** The calibrator of the given form for the content-free distributions' mean. */
  public static Calibrator fit(List<LabelDistribution> contentFree, Form form) {
    return fromBias(estimateBias(contentFree), form);
  }

  /**
   * The calibrator of the given form for a known {@code p_cf}.
   *
   * @throws IllegalArgumentException if a diagonal form's {@code p_cf} has a zero entry (naming the
   *     label)
   */
  public static Calibrator fromBias(LabelDistribution pcf, Form form) {
    return fromBias(pcf, form, Rule.NORMALISED);
  }

  /**
   * The calibrator of the given form for {@code p_cf} given as an array in label order, kept
   * exactly (no renormalisation), as when loading a saved calibrator.
   *
   * @throws IllegalArgumentException if an entry is NaN, negative or over one, the sum is not one
   *     within 1e-6, or (diagonal form) an entry is zero, naming the label
   */
  public static Calibrator fromBias(LabelSet labels, double[] pcf, Form form) {
    return fromBias(labels, pcf, form, Rule.NORMALISED);
  }

  /**
   * Queries {@code scorer} with the default content-free inputs rendered by {@code template} and
   * fits the diagonal form with the default rule for the scorer's kind ({@link Rule#RAW_MASS} for a
   * language model's log-probabilities).
   */
  public static Calibrator fit(Scorer scorer, PromptTemplate template) {
    return fit(scorer, template, Form.DIAGONAL, Rule.defaultFor(scorer.kind()));
  }

  /**
   * Queries {@code scorer} with the default content-free inputs rendered by {@code template} and
   * fits the given form with {@code rule}.
   *
   * @throws IllegalArgumentException if {@code rule} is {@link Rule#RAW_MASS} and the scorer gives
   *     logits
   */
  public static Calibrator fit(Scorer scorer, PromptTemplate template, Form form, Rule rule) {
    return fit(
        new ContentFreeCache().scores(scorer, template, DEFAULT_CONTENT_FREE_INPUTS), form, rule);
  }

  /**
   * The raw scores of {@code contentFreeInputs}, each rendered by {@code template} and scored by
   * {@code scorer} in one batch, through {@code cache}.
   *
   * @throws IllegalArgumentException if there are no inputs
   */
  public static List<LabelScores> contentFreeScores(
      Scorer scorer,
      PromptTemplate template,
      List<String> contentFreeInputs,
      ContentFreeCache cache) {
    if (contentFreeInputs.isEmpty()) {
      throw new IllegalArgumentException("expected at least one content-free input; found none");
    }
    return cache.scores(scorer, template, contentFreeInputs);
  }

  /**
   * The label distributions of {@code contentFreeInputs}, each rendered by {@code template} and
   * scored by {@code scorer} in one batch.
   *
   * @throws IllegalArgumentException if there are no inputs
   */
  public static List<LabelDistribution> contentFreeDistributions(
      Scorer scorer, PromptTemplate template, List<String> contentFreeInputs) {
    return contentFreeDistributions(scorer, template, contentFreeInputs, new ContentFreeCache());
  }

  /**
   * As {@link #contentFreeDistributions(Scorer, PromptTemplate, List)}, through {@code cache}: the
   * model is queried only for (model, template, labels, inputs) it has not seen.
   */
  public static List<LabelDistribution> contentFreeDistributions(
      Scorer scorer,
      PromptTemplate template,
      List<String> contentFreeInputs,
      ContentFreeCache cache) {
    if (contentFreeInputs.isEmpty()) {
      throw new IllegalArgumentException("expected at least one content-free input; found none");
    }
    List<LabelScores> scores = cache.scores(scorer, template, contentFreeInputs);
    List<LabelDistribution> out = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      out.add(s.toDistribution());
    }
    return out;
  }
}
