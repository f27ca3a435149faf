package io.calibra.classifier;

import io.calibra.backend.ContentFreeCache;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.io.Provenance;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.prompt.PromptTemplate;
import io.calibra.selective.SelectivePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A classifier with calibrated probabilities: a {@link Scorer}, a {@link PromptTemplate} (and its
 * label set) and a calibration pipeline, with an optional {@link SelectivePolicy} to abstain.
 *
 * <p>Built by {@link #builder}: stages are added in order and fitted when {@link Builder#build()}
 * runs, each on the output of the ones before it; the content-free queries of contextual
 * calibration run once, then. Immutable; thread-safe when the scorer is (the ONNX scorers are).
 * Errors from the scorer (a prompt too long, bad scores) propagate as {@link
 * IllegalArgumentException}s naming the prompt.
 */
public final class CalibratedClassifier {
  private final Scorer scorer;
  private final PromptTemplate template;
  private final Calibrator calibrator;
  private final SelectivePolicy policy;
  private final Provenance provenance;

  private CalibratedClassifier(
      Scorer scorer,
      PromptTemplate template,
      Calibrator calibrator,
      SelectivePolicy policy,
      Provenance provenance) {
    this.scorer = scorer;
    this.template = template;
    this.calibrator = calibrator;
    this.policy = policy;
    this.provenance = provenance;
  }

  /** Starts a classifier over {@code scorer} and {@code template}. */
  public static Builder builder(Scorer scorer, PromptTemplate template) {
    return new Builder(scorer, template);
  }

  /** Classifies one text. */
  public Prediction classify(String text) {
    return classifyAll(List.of(text)).get(0);
  }

  /** Classifies texts in order, scoring them in the scorer's batches. */
  public List<Prediction> classifyAll(List<String> texts) {
    List<LabelScores> scores = scorer.scoreAll(template.renderAll(texts), template.labels());
    List<Prediction> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      LabelDistribution raw = scores.get(i).toDistribution();
      LabelDistribution calibrated = calibrator.apply(raw);
      out.add(
          new Prediction(
              texts.get(i), calibrated, raw, policy != null && !policy.accepts(calibrated)));
    }
    return out;
  }

  /**
   * The fitted pipeline (a temperature of 1 when no stage was added): save it with CalibratorFiles.
   */
  public Calibrator calibrator() {
    return calibrator;
  }

  /** Where the pipeline came from: methods, fitting rows and data hash, template, model. */
  public Provenance provenance() {
    return provenance;
  }

  /** The selective policy, or null when the classifier never abstains. */
  public SelectivePolicy policy() {
    return policy;
  }

  /** The label set. */
  public LabelSet labels() {
    return template.labels();
  }

  /** The prompt template. */
  public PromptTemplate template() {
    return template;
  }

  @Override
  public String toString() {
    return "CalibratedClassifier{model="
        + scorer.modelId()
        + ", labels="
        + labels().names()
        + ", calibrator="
        + calibrator
        + ", policy="
        + policy
        + "}";
  }

  /** Collects the pipeline's stages; not thread-safe. */
  public static final class Builder {
    private final Scorer scorer;
    private final PromptTemplate template;
    private final List<Function<Calibrator, Calibrator>> stages = new ArrayList<>();
    private final List<String> methods = new ArrayList<>();
    private ContentFreeCache cache = new ContentFreeCache();
    private SelectivePolicy policy;
    private double targetRisk = Double.NaN;
    private List<String> riskTexts;
    private int[] riskGold;
    private LabelledSet lastFitData;

    private Builder(Scorer scorer, PromptTemplate template) {
      this.scorer = Objects.requireNonNull(scorer, "scorer");
      this.template = Objects.requireNonNull(template, "template");
    }

    /** Shares a content-free cache between classifiers over the same scorer. */
    public Builder contentFreeCache(ContentFreeCache shared) {
      this.cache = Objects.requireNonNull(shared, "cache");
      return this;
    }

    /** Adds contextual calibration with the default content-free inputs ("N/A", "", "[MASK]"). */
    public Builder contextual() {
      return contextual(ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS);
    }

    /** Adds contextual calibration with the given content-free inputs. */
    public Builder contextual(List<String> contentFreeInputs) {
      List<String> inputs = List.copyOf(contentFreeInputs);
      methods.add("contextual");
      stages.add(
          previous ->
              ContextualCalibration.fit(
                  ContextualCalibration.contentFreeDistributions(scorer, template, inputs, cache)));
      return this;
    }

    /** Adds a calibrator fitted elsewhere (for example one loaded from a file). */
    public Builder calibrator(Calibrator fitted) {
      Objects.requireNonNull(fitted, "fitted");
      template.labels().requireSame(fitted.labels(), "the classifier's calibrator");
      methods.add(fitted.method());
      stages.add(previous -> fitted);
      return this;
    }

    /** Adds temperature scaling fitted on labelled texts, after the stages before it. */
    public Builder temperature(List<String> texts, int[] gold) {
      return supervised("temperature", texts, gold, TemperatureScaling::fit);
    }

    /** Adds vector scaling fitted on labelled texts, after the stages before it. */
    public Builder vectorScaling(List<String> texts, int[] gold) {
      return supervised("vector", texts, gold, VectorScaling::fit);
    }

    private Builder supervised(
        String method, List<String> texts, int[] gold, Function<LabelledSet, Calibrator> fit) {
      List<String> t = List.copyOf(texts);
      int[] g = gold.clone();
      methods.add(method);
      stages.add(
          previous -> {
            LabelledSet data = LabelledSet.of(previous.applyAll(rawDistributions(t)), g);
            lastFitData = data;
            return fit.apply(data);
          });
      return this;
    }

    /** Abstains when the calibrated confidence is below {@code threshold}. */
    public Builder abstainBelow(double threshold) {
      this.policy = SelectivePolicy.threshold(threshold);
      this.riskTexts = null;
      return this;
    }

    /**
     * Abstains below the threshold whose error rate among accepted labelled texts is at most {@code
     * targetRisk}, chosen on those texts after calibration.
     */
    public Builder abstainForTargetRisk(double targetRisk, List<String> texts, int[] gold) {
      this.targetRisk = targetRisk;
      this.riskTexts = List.copyOf(texts);
      this.riskGold = gold.clone();
      this.policy = null;
      return this;
    }

    private List<LabelDistribution> rawDistributions(List<String> texts) {
      List<LabelScores> scores = scorer.scoreAll(template.renderAll(texts), template.labels());
      List<LabelDistribution> out = new ArrayList<>(scores.size());
      for (LabelScores s : scores) {
        out.add(s.toDistribution());
      }
      return out;
    }

    /**
     * Fits every stage in order and builds the classifier.
     *
     * @throws IllegalArgumentException if a stage cannot be fitted (too few rows, one class, a zero
     *     content-free probability...), naming why
     */
    public CalibratedClassifier build() {
      Calibrator pipeline = TemperatureScaling.of(template.labels(), 1.0);
      boolean first = true;
      for (Function<Calibrator, Calibrator> stage : stages) {
        Calibrator next = stage.apply(pipeline);
        pipeline = first ? next : pipeline.andThen(next);
        first = false;
      }
      SelectivePolicy chosen = policy;
      if (riskTexts != null) {
        LabelledSet calibrated =
            LabelledSet.of(pipeline.applyAll(rawDistributions(riskTexts)), riskGold);
        chosen = SelectivePolicy.forTargetRisk(calibrated, targetRisk);
      }
      Provenance provenance =
          Provenance.now(
              methods.isEmpty() ? "none" : String.join("+", methods),
              lastFitData,
              template.fingerprint(),
              scorer.modelId());
      return new CalibratedClassifier(scorer, template, pipeline, chosen, provenance);
    }
  }
}
