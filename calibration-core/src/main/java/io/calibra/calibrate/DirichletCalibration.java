package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Dirichlet calibration (Kull et al. 2019, "Beyond temperature scaling: Obtaining well-calibrated
 * multiclass probabilities with Dirichlet calibration", NeurIPS): {@code q = softmax(W ln p + b)}
 * with a full K x K matrix W, fitted with ODIR (off-diagonal and intercept regularisation).
 *
 * <p>{@link #fit(LabelledSet, double, double)} minimises the mean NLL plus {@code lambda / (K (K -
 * 1)) * sum_{i != j} W_ij^2 + mu / K * sum_j b_j^2}: the diagonal of W is free, its off-diagonal
 * entries and the intercepts shrink to zero. This is the paper's ODIR term, and the objective of
 * the authors' reference implementation (dirichletcal's {@code FullDirichletCalibrator} with {@code
 * reg_norm=True, ref_row=False}; its default {@code ref_row=True} instead fixes the last row of [W
 * b] to zero before penalising, a different parametrisation). The fit runs L-BFGS from W = I/T, b =
 * 0 (T fitted by temperature scaling), then Newton steps, to a gradient of at most {@value
 * ScalingFit#GRADIENT_TOLERANCE} ({@link #fitWithDiagnostics} says if it stopped short). With
 * {@code lambda > 0} and {@code mu > 0} the objective is strictly convex and its optimum unique.
 *
 * <p><b>When there is no fit.</b> ODIR leaves the diagonal of W free, so on rows that some map
 * {@code W ln p + b} separates (every row's gold label strictly on top, as on small dev sets the
 * model gets all right) the objective keeps falling as the diagonal grows: the penalty does not
 * make the fit finite. Such rows are refused with a {@link NoFitException} (checked exactly on the
 * fitted map: the scores are linear in (W, b), so a map that separates the rows once separates them
 * ever more sharply when scaled up), as are rows on which the temperature fit that starts the
 * optimiser does not exist; {@link #chooseOdir} refuses when a fold's training rows are refused,
 * naming the fold.
 *
 * <p>{@link #fit(LabelledSet)} chooses {@code lambda} and {@code mu} by {@value #FOLDS}-fold
 * cross-validation over {@link #GRID} x {@link #GRID} (lowest pooled out-of-fold NLL; ties go to
 * the pair listed first, the stronger regularisation). Immutable results; the class is stateless
 * and thread-safe.
 */
public final class DirichletCalibration {

  /**
   * Dirichlet calibration's fitting: on labelled rows, with the ODIR strengths given or chosen by
   * {@link #chooseOdir} (told to the options' log), and an iteration budget.
   */
  static final MethodFit.LabelledRows FIT =
      new MethodFit.LabelledRows(CalibrationMethod.DIRICHLET, DirichletCalibration::fitWith);

  /** Its saved stage: {@code weights} (K x K, row-major) and {@code bias} (K). */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) -> of(labels, p.required("weights"), p.required("bias")), "weights", "bias");

  private static Calibrator fitWith(LabelledSet data, FitOptions options) {
    double lambda;
    double mu;
    if (options.odirLambda().isPresent()) {
      lambda = options.odirLambda().getAsDouble();
      mu = options.odirMu().getAsDouble();
    } else {
      Odir odir = chooseOdir(data, FOLDS, SEED, options.control());
      lambda = odir.lambda();
      mu = odir.mu();
      options
          .log()
          .note(
              String.format(
                  java.util.Locale.ROOT,
                  "dirichlet: lambda = %s, mu = %s chosen by %d-fold cross-validation"
                      + " (out-of-fold NLL %.6f)",
                  lambda,
                  mu,
                  FOLDS,
                  odir.nll()));
    }
    return AffineScaling.reportWarning(
        fitWithDiagnostics(data, lambda, mu, options.control()), options);
  }

  /**
   * The values of {@code lambda} and of {@code mu} {@link #fit(LabelledSet)} tries, strongest
   * first.
   */
  public static final List<Double> GRID = List.of(1.0, 1e-1, 1e-2, 1e-3);

  /** The folds of the cross-validation of {@link #fit(LabelledSet)}. */
  public static final int FOLDS = 3;

  /** The seed of the fold assignment of {@link #fit(LabelledSet)}. */
  public static final long SEED = 0;

  /** Pairs whose NLLs differ by at most this, relative, are tied (the first in grid order wins). */
  static final double TIE = 1e-12;

  private DirichletCalibration() {}

  /**
   * The ODIR strengths chosen by cross-validation, with the pooled out-of-fold NLL they reached.
   *
   * @param lambda the off-diagonal strength
   * @param mu the intercept strength
   * @param nll the mean out-of-fold NLL with them
   */
  public record Odir(double lambda, double mu, double nll) {}

  /**
   * Fits with {@code lambda} and {@code mu} chosen by {@link #chooseOdir} with {@link #FOLDS} folds
   * and seed {@link #SEED}.
   *
   * @throws IllegalArgumentException on fewer than 2 rows, a single gold class, or a fold whose
   *     training rows have a single gold class
   */
  public static Calibrator fit(LabelledSet data) {
    Odir odir = chooseOdir(data, FOLDS, SEED);
    return fit(data, odir.lambda(), odir.mu());
  }

  /**
   * Fits with ODIR strengths {@code lambda} (off-diagonal) and {@code mu} (intercepts).
   *
   * @throws IllegalArgumentException on fewer than 2 rows, a single gold class, or a negative or
   *     non-finite strength
   */
  public static Calibrator fit(LabelledSet data, double lambda, double mu) {
    return fitWithDiagnostics(data, lambda, mu).calibrator();
  }

  /**
   * Fits with ODIR strengths {@code lambda} and {@code mu} and says whether the optimiser converged
   * (see {@link ScalingFit#warning()}).
   *
   * @throws IllegalArgumentException on fewer than 2 rows, a single gold class, or a negative or
   *     non-finite strength
   */
  public static ScalingFit fitWithDiagnostics(LabelledSet data, double lambda, double mu) {
    return fitWithDiagnostics(data, lambda, mu, FitControl.DEFAULT);
  }

  /**
   * {@link #fitWithDiagnostics(LabelledSet, double, double)} with {@code control}'s iteration
   * budget and monitor (which may stop the fit by throwing).
   *
   * @throws IllegalArgumentException as the other form
   * @throws NoFitException on rows some map of the family separates
   */
  public static ScalingFit fitWithDiagnostics(
      LabelledSet data, double lambda, double mu, FitControl control) {
    return fitWithDiagnostics(data, lambda, mu, control, "");
  }

  private static ScalingFit fitWithDiagnostics(
      LabelledSet data, double lambda, double mu, FitControl control, String stage) {
    java.util.Objects.requireNonNull(data, "data");
    java.util.Objects.requireNonNull(control, "control");
    return AffineScaling.fitOdir(
        FitData.of(data, "dirichlet calibration"),
        data.labels(),
        lambda,
        mu,
        control.maxIterations(),
        true,
        control.monitor(),
        stage);
  }

  /**
   * Chooses {@code lambda} and {@code mu} from {@link #GRID} by {@code folds}-fold cross-validation
   * (rows shuffled with {@code seed}): the pair with the lowest mean NLL of the pooled out-of-fold
   * predictions, the first in grid order on ties (NLLs within a relative 1e-12).
   *
   * @throws IllegalArgumentException if {@code folds < 2}, there are fewer rows than folds, the set
   *     is not fittable, or a fold's training rows have a single gold class (naming the fold)
   */
  public static Odir chooseOdir(LabelledSet data, int folds, long seed) {
    return chooseOdir(data, folds, seed, FitControl.DEFAULT);
  }

  /**
   * {@link #chooseOdir(LabelledSet, int, long)} with {@code control}'s iteration budget and monitor
   * for each of its {@code 16 * folds} fits (each named by its strengths and fold).
   *
   * @throws IllegalArgumentException as the other form
   */
  public static Odir chooseOdir(LabelledSet data, int folds, long seed, FitControl control) {
    java.util.Objects.requireNonNull(data, "data");
    java.util.Objects.requireNonNull(control, "control");
    data.requireFittable("dirichlet calibration");
    int n = data.size();
    if (folds < 2 || folds > n) {
      throw new IllegalArgumentException(
          "dirichlet cross-validation with "
              + folds
              + " folds on "
              + n
              + " rows; expected 2 <= folds <= rows");
    }
    int[] foldOf = foldAssignment(n, folds, seed);
    List<LabelledSet> train = new ArrayList<>();
    List<List<Integer>> heldOut = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      List<LabelDistribution> rows = new ArrayList<>();
      List<Integer> gold = new ArrayList<>();
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (foldOf[i] == f) {
          out.add(i);
        } else {
          rows.add(data.distribution(i));
          gold.add(data.gold(i));
        }
      }
      LabelledSet t = LabelledSet.of(rows, gold.stream().mapToInt(Integer::intValue).toArray());
      try {
        t.requireFittable("dirichlet calibration");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "dirichlet cross-validation fold " + (f + 1) + " of " + folds + ": " + e.getMessage(),
            e);
      }
      train.add(t);
      heldOut.add(out);
    }
    Odir best = null;
    for (double lambda : GRID) {
      for (double mu : GRID) {
        double total = 0;
        for (int f = 0; f < folds; f++) {
          Calibrator c;
          try {
            c =
                fitWithDiagnostics(
                        train.get(f),
                        lambda,
                        mu,
                        control,
                        String.format(
                            java.util.Locale.ROOT,
                            "lambda %s, mu %s, fold %d of %d",
                            lambda,
                            mu,
                            f + 1,
                            folds))
                    .calibrator();
          } catch (NoFitException e) {
            throw NoFitException.inFold(
                "dirichlet cross-validation fold " + (f + 1) + " of " + folds + ": ", e);
          }
          for (int i : heldOut.get(f)) {
            double q = c.apply(data.distribution(i)).probability(data.gold(i));
            total -= Math.log(q);
          }
        }
        double nll = total / n;
        // Lower by more than rounding: for K = 2, for example, every lambda reaches the same
        // optimum (the off-diagonal entries are zero there), and the first pair must win.
        if (best == null || lowerBeyondRounding(nll, best.nll())) {
          best = new Odir(lambda, mu, nll);
        }
      }
    }
    return best;
  }

  /** Whether {@code nll} is lower than {@code best} by more than {@link #TIE}, relative. */
  static boolean lowerBeyondRounding(double nll, double best) {
    return nll < best - TIE * Math.abs(best);
  }

  /**
   * Row {@code i}'s fold: rows shuffled by {@code seed}, then dealt round-robin (the folds of
   * ODIR's and of {@link MethodSelection}'s cross-validation).
   */
  static int[] foldAssignment(int n, int folds, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] foldOf = new int[n];
    for (int i = 0; i < n; i++) {
      foldOf[order[i]] = i % folds;
    }
    return foldOf;
  }

  /**
   * A Dirichlet calibrator with a known row-major K x K matrix and K intercepts, kept exactly.
   *
   * @throws IllegalArgumentException on a wrong length or a non-finite value
   */
  public static Calibrator of(LabelSet labels, double[] weights, double[] bias) {
    java.util.Objects.requireNonNull(labels, "labels");
    java.util.Objects.requireNonNull(weights, "weights");
    java.util.Objects.requireNonNull(bias, "bias");
    return new AffineScaling(CalibrationMethod.DIRICHLET, labels, false, weights, bias);
  }
}
