package io.calibra.classifier;

import io.calibra.backend.ContentFreeCache;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.io.Provenance;
import io.calibra.io.SavedCalibrator;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.DevComparison;
import io.calibra.prompt.PromptTemplate;
import io.calibra.selective.SelectivePolicy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A classifier with calibrated probabilities: a {@link Scorer}, a {@link PromptTemplate} (and its
 * label set) and a calibration pipeline, with an optional {@link SelectivePolicy} to abstain.
 *
 * <p>Built by {@link #builder}: stages are added in order and fitted when {@link Builder#build()}
 * runs, each on the output of the ones before it; the content-free queries of contextual
 * calibration run once, then. Every prompt (inputs, fitting texts, content-free inputs) is scored
 * through {@link Scorers#forTemplate}, so a causal model exported with {@code past_key_values}
 * computes the template's fixed prefix once. Immutable; thread-safe when the scorer is (the ONNX
 * scorers are). Errors from the scorer (a prompt too long, bad scores) propagate as {@link
 * IllegalArgumentException}s naming the prompt.
 *
 * <pre>{@code
 * CalibratedClassifier classifier =
 *     CalibratedClassifier.builder(scorer, PromptTemplate.identity(labels))
 *         .contextual() // divides out the bias the model shows on "N/A", "", "[MASK]"
 *         .temperature(devTexts, devGold) // fits its confidence on labelled dev rows
 *         .abstainBelow(0.8) // abstains when the calibrated confidence is below 0.8
 *         .build();
 * Prediction p = classifier.classify("a charming story");
 * if (!p.abstained()) {
 *   System.out.println(p.label() + " " + p.confidence());
 * }
 * CalibratorFiles.save(classifier.calibration(), Path.of("calibration.json"));
 * }</pre>
 */
public final class CalibratedClassifier {
  private final Scorer scorer;

  /** The scorer's view for this template's prompts (reusing its fixed prefix where it can). */
  private final Scorer prompted;

  private final PromptTemplate template;
  private final Calibrator calibrator;
  private final SelectivePolicy policy;
  private final Provenance provenance;
  private final DevComparison contextualCheck;

  private CalibratedClassifier(
      Scorer scorer,
      PromptTemplate template,
      Calibrator calibrator,
      SelectivePolicy policy,
      Provenance provenance,
      DevComparison contextualCheck) {
    this.scorer = scorer;
    this.prompted = Scorers.forTemplate(scorer, template);
    this.template = template;
    this.calibrator = calibrator;
    this.policy = policy;
    this.provenance = provenance;
    this.contextualCheck = contextualCheck;
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
    List<LabelScores> scores = prompted.scoreAll(template.renderAll(texts), template.labels());
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

  /**
   * Where the pipeline came from: methods, fitting rows and data hash, the template's and the
   * scorer's fingerprints, model id.
   */
  public Provenance provenance() {
    return provenance;
  }

  /**
   * Everything the classifier's decisions need besides its scorer and template (pipeline with label
   * words, abstention policy, provenance), to save with {@code CalibratorFiles.save(classifier
   * .calibration(), file)} and restore with {@link Builder#calibration(SavedCalibrator)}.
   */
  public SavedCalibrator calibration() {
    return new SavedCalibrator(calibrator, provenance, policy);
  }

  /**
   * The dev NLL and accuracy before and after contextual calibration, when the builder had labelled
   * texts (from {@link Builder#temperature}, {@link Builder#vectorScaling} or {@link
   * Builder#abstainForTargetRisk}) and a contextual stage; empty otherwise. When the step made the
   * dev set worse, {@link DevComparison#worse()} is true and {@link Builder#build()} logged a
   * warning.
   */
  public Optional<DevComparison> contextualCheck() {
    return Optional.ofNullable(contextualCheck);
  }

  /** The selective policy, or empty when the classifier never abstains. */
  public java.util.Optional<SelectivePolicy> policy() {
    return java.util.Optional.ofNullable(policy);
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
    private static final System.Logger LOG = System.getLogger(CalibratedClassifier.class.getName());

    /** One stage: how to fit it on the pipeline before it, and the labelled texts it uses. */
    private record Stage(
        String method,
        boolean contextual,
        SavedCalibrator saved,
        List<String> texts,
        int[] gold,
        Function<LabelledSet, Calibrator> supervised,
        Function<Calibrator, Calibrator> fit) {}

    private final Scorer scorer;
    private final Scorer prompted;
    private final PromptTemplate template;
    private final List<Stage> stages = new ArrayList<>();
    private ContentFreeCache cache = new ContentFreeCache();
    private SelectivePolicy policy;
    private double targetRisk = Double.NaN;
    private List<String> riskTexts;
    private int[] riskGold;
    private boolean allowMismatchedProvenance;

    private Builder(Scorer scorer, PromptTemplate template) {
      this.scorer = Objects.requireNonNull(scorer, "scorer");
      this.template = Objects.requireNonNull(template, "template");
      this.prompted = Scorers.forTemplate(scorer, template);
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

    /**
     * Adds contextual calibration with the given content-free inputs and the default p_cf rule for
     * the scorer's kind ({@link ContextualCalibration.Rule#defaultFor}: the reference code's raw
     * mass for a language model's log-probabilities).
     */
    public Builder contextual(List<String> contentFreeInputs) {
      return contextual(contentFreeInputs, ContextualCalibration.Rule.defaultFor(scorer.kind()));
    }

    /**
     * Adds contextual calibration with the given content-free inputs and p_cf rule.
     *
     * @throws IllegalArgumentException when built, if {@code rule} is raw mass and the scorer gives
     *     logits
     */
    public Builder contextual(List<String> contentFreeInputs, ContextualCalibration.Rule rule) {
      Objects.requireNonNull(rule, "rule");
      List<String> inputs = List.copyOf(contentFreeInputs);
      stages.add(
          new Stage(
              "contextual",
              true,
              null,
              null,
              null,
              null,
              previous ->
                  ContextualCalibration.fit(
                      ContextualCalibration.contentFreeScores(scorer, template, inputs, cache),
                      ContextualCalibration.Form.DIAGONAL,
                      rule)));
      return this;
    }

    /**
     * Adds a calibrator fitted elsewhere. Nothing ties a bare calibrator to a scorer: prefer {@link
     * #calibrator(SavedCalibrator)} for one loaded from a file, which checks its provenance.
     */
    public Builder calibrator(Calibrator fitted) {
      Objects.requireNonNull(fitted, "fitted");
      template.labels().requireSame(fitted.labels(), "the classifier's calibrator");
      stages.add(
          new Stage(fitted.kind().methodName(), false, null, null, null, null, previous -> fitted));
      return this;
    }

    /**
     * Adds a saved calibrator's pipeline (not its abstention policy: see {@link
     * #calibration(SavedCalibrator)}). {@link #build()} refuses it unless its provenance records
     * this classifier's scorer fingerprint and template fingerprint, naming both fingerprints;
     * {@link #allowMismatchedProvenance()} overrides that.
     */
    public Builder calibrator(SavedCalibrator saved) {
      Objects.requireNonNull(saved, "saved");
      Calibrator fitted = saved.calibrator();
      template.labels().requireSame(fitted.labels(), "the classifier's calibrator");
      stages.add(
          new Stage(
              fitted.kind().methodName(), false, saved, null, null, null, previous -> fitted));
      return this;
    }

    /**
     * Restores a whole saved calibration: its pipeline, as {@link #calibrator(SavedCalibrator)}
     * (with the same provenance check), and its abstention policy, which replaces any set before (a
     * saved calibration without a policy leaves the builder's policy as it is).
     */
    public Builder calibration(SavedCalibrator saved) {
      calibrator(saved);
      if (saved.policy() != null) {
        this.policy = saved.policy();
        this.riskTexts = null;
      }
      return this;
    }

    /**
     * Accepts saved calibrators whose provenance records another scorer or template fingerprint, or
     * none (files of schema version 1, or fitted by {@code calibra fit} from a score file). The
     * caller takes responsibility for the calibrator fitting this scorer and template.
     */
    public Builder allowMismatchedProvenance() {
      this.allowMismatchedProvenance = true;
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

    /**
     * Adds temperature scaling fitted on texts with gold labels given by name.
     *
     * @throws IllegalArgumentException naming a gold name that is not a label (listing the labels)
     */
    public Builder temperature(List<String> texts, List<String> gold) {
      return temperature(texts, goldIndices(gold));
    }

    /**
     * Adds vector scaling fitted on texts with gold labels given by name.
     *
     * @throws IllegalArgumentException naming a gold name that is not a label (listing the labels)
     */
    public Builder vectorScaling(List<String> texts, List<String> gold) {
      return vectorScaling(texts, goldIndices(gold));
    }

    private int[] goldIndices(List<String> gold) {
      return template.labels().indicesOf(gold);
    }

    private Builder supervised(
        String method, List<String> texts, int[] gold, Function<LabelledSet, Calibrator> fit) {
      stages.add(
          new Stage(method, false, null, List.copyOf(texts), gold.clone(), fit, previous -> null));
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
     * targetRisk}, chosen on those texts after calibration. {@link #build()} throws an {@link
     * IllegalArgumentException} stating the lowest reachable risk and its coverage when no
     * threshold reaches the target.
     */
    public Builder abstainForTargetRisk(double targetRisk, List<String> texts, int[] gold) {
      this.targetRisk = targetRisk;
      this.riskTexts = List.copyOf(texts);
      this.riskGold = gold.clone();
      this.policy = null;
      return this;
    }

    /**
     * As {@link #abstainForTargetRisk(double, List, int[])}, with gold labels given by name.
     *
     * @throws IllegalArgumentException naming a gold name that is not a label (listing the labels)
     */
    public Builder abstainForTargetRisk(double targetRisk, List<String> texts, List<String> gold) {
      return abstainForTargetRisk(targetRisk, texts, goldIndices(gold));
    }

    private List<LabelDistribution> rawDistributions(
        List<String> texts, Map<List<String>, List<LabelDistribution>> memo) {
      List<LabelDistribution> known = memo.get(texts);
      if (known != null) {
        return known;
      }
      List<LabelScores> scores = prompted.scoreAll(template.renderAll(texts), template.labels());
      List<LabelDistribution> out = new ArrayList<>(scores.size());
      for (LabelScores s : scores) {
        out.add(s.toDistribution());
      }
      memo.put(texts, out);
      return out;
    }

    /**
     * Fits every stage in order and builds the classifier. When a contextual stage and labelled
     * texts are both given, compares the dev NLL and accuracy before and after the contextual stage
     * ({@link CalibratedClassifier#contextualCheck()}) and logs a warning when they got worse.
     *
     * @throws IllegalArgumentException if a stage cannot be fitted (too few rows, one class, a zero
     *     content-free probability, rows on which its maximum-likelihood fit does not exist such as
     *     dev rows the model gets all right: {@link io.calibra.calibrate.NoFitException}...), a
     *     target risk cannot be reached, or a saved calibrator's provenance does not match this
     *     scorer and template (unless allowed), naming why
     */
    public CalibratedClassifier build() {
      checkProvenance();
      Map<List<String>, List<LabelDistribution>> memo = new IdentityHashMap<>();
      Calibrator identity = TemperatureScaling.of(template.labels(), 1.0);
      Calibrator pipeline = identity;
      boolean first = true;
      LabelledSet lastFitData = null;
      Calibrator beforeContextual = null;
      Calibrator afterContextual = null;
      for (Stage stage : stages) {
        Calibrator next;
        if (stage.supervised() != null) {
          LabelledSet data =
              LabelledSet.of(
                  pipeline.applyAll(rawDistributions(stage.texts(), memo)), stage.gold());
          lastFitData = data;
          next = stage.supervised().apply(data);
        } else {
          next = stage.fit().apply(pipeline);
        }
        Calibrator before = pipeline;
        pipeline = first ? next : pipeline.andThen(next);
        if (stage.contextual()) {
          beforeContextual = before;
          afterContextual = pipeline;
        }
        first = false;
      }
      SelectivePolicy chosen = policy;
      if (riskTexts != null) {
        LabelledSet calibrated =
            LabelledSet.of(pipeline.applyAll(rawDistributions(riskTexts, memo)), riskGold);
        chosen = SelectivePolicy.forTargetRisk(calibrated, targetRisk);
      }
      DevComparison check = null;
      if (afterContextual != null) {
        check = contextualCheck(beforeContextual, afterContextual, memo);
      }
      Provenance provenance;
      if (stages.size() == 1 && stages.get(0).saved() != null) {
        provenance = stages.get(0).saved().provenance();
      } else {
        provenance =
            Provenance.now(
                stages.isEmpty()
                    ? "none"
                    : String.join("+", stages.stream().map(Stage::method).toList()),
                lastFitData,
                template.fingerprint(),
                scorer.fingerprint(),
                scorer.modelId());
      }
      return new CalibratedClassifier(scorer, template, pipeline, chosen, provenance, check);
    }

    /** The dev rows: the first supervised stage's texts, else the target-risk texts. */
    private DevComparison contextualCheck(
        Calibrator before, Calibrator after, Map<List<String>, List<LabelDistribution>> memo) {
      List<String> texts = riskTexts;
      int[] gold = riskGold;
      for (Stage stage : stages) {
        if (stage.supervised() != null) {
          texts = stage.texts();
          gold = stage.gold();
          break;
        }
      }
      if (texts == null) {
        return null;
      }
      List<LabelDistribution> raw = rawDistributions(texts, memo);
      DevComparison check =
          DevComparison.of(
              "contextual",
              LabelledSet.of(before.applyAll(raw), gold),
              LabelledSet.of(after.applyAll(raw), gold));
      if (check.worse()) {
        LOG.log(System.Logger.Level.WARNING, check.warning());
      }
      return check;
    }

    private void checkProvenance() {
      if (allowMismatchedProvenance) {
        return;
      }
      for (Stage stage : stages) {
        if (stage.saved() == null) {
          continue;
        }
        ProvenanceMatch.require(stage.saved().provenance(), stage.method(), scorer, template);
      }
    }
  }
}
