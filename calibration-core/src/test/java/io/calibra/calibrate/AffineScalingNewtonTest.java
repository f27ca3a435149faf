package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * AffineScaling's optimiser pieces driven directly: the Newton polish with scripted objectives and
 * hand-made Hessians, the ridged Newton direction on matrices whose first ridges fail, the start
 * point and the L-BFGS / Newton hand-over. Every expected value is hand derived (the comments say
 * how); none is copied from a run.
 */
class AffineScalingNewtonTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  private static Function<double[], double[]> constantHessian(double... h) {
    return p -> h.clone();
  }

  private static final Function<double[], double[]> NO_HESSIAN =
      p -> {
        throw new AssertionError("the Hessian must not be asked for");
      };

  private static final Lbfgs.Objective NO_OBJECTIVE =
      (x, g) -> {
        throw new AssertionError("the objective must not be asked for");
      };

  // ---------------------------------------------------------------- polish

  @Test
  void polishStopsAfterThirtyNewtonSteps() {
    // f = -x, g = -1 everywhere, H = [1]: every Newton step d = 1 / (1 + 1e-12) (ridge 1e-12 of
    // the diagonal) lowers f by d > 1e-4 d, the gradient never shrinks: the cap (30) stops it.
    ScriptedObjective f = new ScriptedObjective((n, x) -> new double[] {-x[0], -1});
    AtomicInteger hessians = new AtomicInteger();
    double[] x = {0};
    double[] g = {-1};
    double[] r =
        AffineFit.polish(
            f,
            p -> {
              hessians.incrementAndGet();
              return new double[] {1};
            },
            x,
            g,
            0);
    assertThat(r[1]).isEqualTo(30);
    assertThat(hessians.get()).isEqualTo(30);
    assertThat(f.points).hasSize(30);
    assertThat(x[0]).isCloseTo(30, within(1e-9));
    assertThat(r[0]).isEqualTo(-x[0]);
    assertThat(g).containsExactly(-1.0);
  }

  @Test
  void polishLeavesAGradientExactlyAtItsTargetAlone() {
    // NEWTON_TARGET = 1e-12: "below" means at most; a gradient of exactly 1e-12 is done.
    double[] x = {0.25};
    double[] g = {1e-12};
    double[] r = AffineFit.polish(NO_OBJECTIVE, NO_HESSIAN, x, g, 3.0);
    assertThat(r).containsExactly(3.0, 0.0);
    assertThat(x).containsExactly(0.25);
  }

  @Test
  void polishGivesUpAfterThirtyHalvings() {
    // H = [1], g = -1 at x = 0, f = 0; every trial answers f = 1 (higher, and not flat): the trials
    // are 2^-t d for t = 0..29 (d = 1 / (1 + 1e-12)), then the polish stops with no step.
    ScriptedObjective f = new ScriptedObjective((n, x) -> new double[] {1, -1});
    double[] x = {0};
    double[] g = {-1};
    double[] r = AffineFit.polish(f, constantHessian(1), x, g, 0);
    assertThat(r).containsExactly(0.0, 0.0);
    assertThat(x).containsExactly(0.0);
    assertThat(g).containsExactly(-1.0);
    double[] trials = f.firstCoordinates();
    assertThat(trials).hasSize(30);
    assertThat(trials[0]).isCloseTo(1, within(1e-11));
    for (int t = 1; t < 30; t++) {
      // Halving a double is exact.
      assertThat(trials[t]).as("trial %d", t).isEqualTo(Math.scalb(trials[0], -t));
    }
  }

  @Test
  void polishTriesNoStepAlongADirectionWithoutSlope() {
    // H = [1e305], g = 2e-12: d = -g / (H (1 + 1e-12)) ~ -2e-317, and the slope g d ~ -4e-329
    // underflows to 0: not a descent direction, so no trial at all.
    double[] x = {0};
    double[] g = {2e-12};
    double[] r = AffineFit.polish(NO_OBJECTIVE, constantHessian(1e305), x, g, 1.0);
    assertThat(r).containsExactly(1.0, 0.0);
  }

  @Test
  void polishStopsWhenTheHessianHasNoUsableRidge() {
    double[] r =
        AffineFit.polish(NO_OBJECTIVE, constantHessian(0), new double[] {0}, new double[] {1}, 2.0);
    assertThat(r).containsExactly(2.0, 0.0);
  }

  @Test
  void polishAcceptsAValueExactlyOnTheArmijoLineAfterOneHalving() {
    // H = [4], g = 1 at x = 0, f = 1: d ~ -1/4 (slope g d = d). Trial 1 (step 1) answers f = 1
    // with the same gradient: not lower than the Armijo line 1 + 1e-4 d, and not flat (the gradient
    // is not smaller): rejected. Trial 2 (step 1/2, at x = d / 2) answers exactly the Armijo line
    // 1 + 1e-4 * (1/2) * d: accepted ("<="). The next Newton step's 30 trials answer f = 2:
    // rejected.
    ScriptedObjective f =
        new ScriptedObjective(
            (n, x) ->
                switch (n) {
                  case 0 -> new double[] {1, 1};
                  case 1 -> new double[] {1.0 + 1e-4 * 0.5 * (2 * x[0]), 1};
                  default -> new double[] {2, 1};
                });
    double[] x = {0};
    double[] g = {1};
    double[] r = AffineFit.polish(f, constantHessian(4), x, g, 1.0);
    double[] trials = f.firstCoordinates();
    assertThat(trials).hasSize(32);
    assertThat(trials[0]).isCloseTo(-0.25, within(1e-12));
    assertThat(trials[1]).isEqualTo(trials[0] / 2);
    assertThat(r[1]).isEqualTo(1);
    assertThat(r[0]).isEqualTo(1.0 + 1e-4 * 0.5 * trials[0]);
    assertThat(x).containsExactly(trials[1]);
  }

  @Test
  void polishAcceptsAFlatValueExactlyAtItsBoundWithASmallerGradient() {
    // H = [1], g = 1 at x = 0, f = 4: trial 1 (d ~ -1) answers f = 4 + 1e-14 * |4| (not below the
    // Armijo line, exactly at the flat bound) with gradient 1/2 (smaller): accepted as flat. The
    // next Newton step's 30 trials answer f = 5: rejected.
    double flatBound = 4.0 + 1e-14 * Math.abs(4.0);
    ScriptedObjective f =
        new ScriptedObjective(
            (n, x) -> n == 0 ? new double[] {flatBound, 0.5} : new double[] {5, 0.5});
    double[] x = {0};
    double[] g = {1};
    double[] r = AffineFit.polish(f, constantHessian(1), x, g, 4.0);
    assertThat(f.points).hasSize(31);
    assertThat(r).containsExactly(flatBound, 1.0);
    assertThat(x[0]).isCloseTo(-1, within(1e-11));
    assertThat(g).containsExactly(0.5);
  }

  // ---------------------------------------------------------------- newtonDirection

  @Test
  void theRidgeUsedIsTheFirstThatMakesTheMatrixPositiveDefinite() {
    // diag(-3e-5, 2): ridges mu = 2e-12 * 100^r (scale 2, the largest |diagonal|); 2e-12 .. 2e-6
    // leave -3e-5 + mu <= 0, 2e-4 is the first that works: d = -g / (diag + 2e-4).
    double[] d = AffineFit.newtonDirection(new double[] {-3e-5, 0, 0, 2}, new double[] {1, 1});
    assertThat(d[0]).isCloseTo(-1 / 1.7e-4, within(1e-9 / 1.7e-4));
    assertThat(d[1]).isCloseTo(-1 / 2.0002, within(1e-12));
  }

  @Test
  void theLastRidgeIsTheLargestDiagonalEntryItself() {
    // diag(3, -2): ridges 3e-12 * 100^r up to 3e-12 * 100^6 = 3 (exactly so in doubles); only
    // mu = 3 makes -2 + mu positive: d = (-6 / 6, -1 / 1).
    double[] d = AffineFit.newtonDirection(new double[] {3, 0, 0, -2}, new double[] {6, 1});
    assertThat(d).containsExactly(new double[] {-1, -1}, within(1e-15));
  }

  @Test
  void aZeroPivotIsNotPositive() {
    // diag(1, -1e-12): the first ridge 1e-12 makes the second pivot exactly 0 (not positive),
    // the next, 1e-10, works: d = (-1 / (1 + 1e-10), -1 / (1e-10 - 1e-12)).
    double[] d = AffineFit.newtonDirection(new double[] {1, 0, 0, -1e-12}, new double[] {1, 1});
    assertThat(d[0]).isCloseTo(-1 / (1 + 1e-10), within(1e-15));
    assertThat(d[1]).isCloseTo(-1 / 9.9e-11, within(1e-9 / 9.9e-11));
  }

  @Test
  void aMatrixWithoutAFiniteNonZeroScaleHasNoDirection() {
    double[] g = {1, 1};
    assertThat(AffineFit.newtonDirection(new double[4], g)).isNull();
    double inf = Double.POSITIVE_INFINITY;
    assertThat(AffineFit.newtonDirection(new double[] {inf, 0, 0, 1}, g)).isNull();
    assertThat(AffineFit.newtonDirection(new double[] {1, 0, 0, Double.NaN}, g)).isNull();
  }

  @Test
  void aPivotThatOverflowsIsNoFactor() {
    // diag(1.5e308, -1e308): only the last ridge, 1.5e308 (1.5e296 * 100^6, exactly so in
    // doubles), makes -1e308 + mu positive, but then the first pivot 1.5e308 + 1.5e308 overflows to
    // infinity: no direction (one built on it would have a zero first component, or NaN).
    double[] h = {1.5e308, 0, 0, -1e308};
    assertThat(AffineFit.newtonDirection(h, new double[] {1, 1})).isNull();
  }

  // ---------------------------------------------------------------- start and hand-over

  @Test
  void theStartIsTheScaledIdentityAndNoBias() {
    assertThat(AffineFit.start(3, false, 2.0)).containsExactly(2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0);
    assertThat(AffineFit.start(3, true, 2.0)).containsExactly(2, 2, 2, 0, 0, 0);
  }

  @Test
  void aFitWithoutIterationsReturnsItsStartWeightsIOverT() {
    // Documented start: W = I / T (T fitted by temperature scaling), b = 0; with no iteration and
    // no polish the fits return it. For Dirichlet calibration T only sets this start (its penalty
    // does not use it), so this is where a wrong start would show.
    FitData data = FitData.of(ScalingFitTest.noisy(3, 200), "test");
    double w0 = 1.0 / TemperatureScaling.fitTemperature(data);
    double[] diagonalW = {w0, 0, 0, 0, w0, 0, 0, 0, w0};
    AffineScaling odir =
        (AffineScaling) AffineFit.fitOdir(data, ABC, 0.3, 0.6, 0, false).calibrator();
    assertThat(odir.weights()).containsExactly(diagonalW);
    assertThat(odir.biases()).containsExactly(0, 0, 0);
    AffineScaling matrix =
        (AffineScaling) AffineFit.fit(data, ABC, false, 0.1, 0, false).calibrator();
    assertThat(matrix.weights()).containsExactly(diagonalW);
    AffineScaling vector =
        (AffineScaling) AffineFit.fit(data, ABC, true, 0.1, 0, false).calibrator();
    assertThat(vector.weights()).containsExactly(w0, w0, w0);
    assertThat(vector.biases()).containsExactly(0, 0, 0);
  }

  /** f = |x|^2 / 2, gradient x. */
  private static ScriptedObjective halfSquare() {
    return new ScriptedObjective(
        (n, x) -> {
          double[] r = new double[x.length + 1];
          for (int i = 0; i < x.length; i++) {
            r[0] += x[i] * x[i] / 2;
            r[i + 1] = x[i];
          }
          return r;
        });
  }

  private static ScalingFit minimise(
      Lbfgs.Objective f,
      Function<double[], double[]> hessian,
      double[] start,
      boolean polish,
      AtomicReference<double[]> seen) {
    return AffineFit.minimise(
        f,
        hessian,
        start,
        100,
        polish,
        x -> {
          seen.set(x.clone());
          return new AffineScaling(AB, true, new double[] {1, 1}, new double[] {0, 0});
        });
  }

  @Test
  void aGradientExactlyAtTheToleranceIsConverged() {
    // |g| = 1e-8 = ScalingFit.GRADIENT_TOLERANCE at the start: converged, no step.
    AtomicReference<double[]> seen = new AtomicReference<>();
    ScalingFit fit = minimise(halfSquare(), NO_HESSIAN, new double[] {1e-8}, false, seen);
    assertThat(fit.converged()).isTrue();
    assertThat(fit.iterations()).isZero();
    assertThat(fit.newtonSteps()).isZero();
    assertThat(fit.maxAbsGradient()).isEqualTo(1e-8);
    assertThat(fit.objective()).isEqualTo(1e-8 * 1e-8 / 2);
    assertThat(seen.get()).containsExactly(1e-8);
  }

  @Test
  void withoutAPolishLbfgsGoesOnToTheGradientTolerance() {
    // g = 1e-6 is above 1e-8: one steepest descent step, length min(1, 1/|g|) = 1, lands on 0.
    AtomicReference<double[]> seen = new AtomicReference<>();
    ScalingFit fit = minimise(halfSquare(), NO_HESSIAN, new double[] {1e-6}, false, seen);
    assertThat(fit.iterations()).isEqualTo(1);
    assertThat(fit.converged()).isTrue();
    assertThat(seen.get()).containsExactly(0.0);
  }

  @Test
  void withAPolishLbfgsHandsOverAtTheHandOverGradient() {
    // g = 1e-6 is below the hand-over 1e-5: no L-BFGS step; one Newton step with H = [1] (d =
    // -1e-6 / (1 + 1e-12)) leaves x = g ~ 1e-18, below the Newton target 1e-12.
    AtomicReference<double[]> seen = new AtomicReference<>();
    ScalingFit fit = minimise(halfSquare(), constantHessian(1), new double[] {1e-6}, true, seen);
    assertThat(fit.iterations()).isZero();
    assertThat(fit.newtonSteps()).isEqualTo(1);
    assertThat(fit.converged()).isTrue();
    assertThat(Math.abs(seen.get()[0])).isLessThan(1e-17);
  }

  @Test
  void newtonRunsUpToTwelveHundredParameters() {
    for (int dim : new int[] {AffineFit.MAX_NEWTON_DIMENSION, AffineFit.MAX_NEWTON_DIMENSION + 1}) {
      double[] start = new double[dim];
      start[0] = 1e-6;
      AtomicInteger hessians = new AtomicInteger();
      // A zero Hessian: no Newton direction, so the polish stops at once (the call is the sign).
      ScalingFit fit =
          minimise(
              halfSquare(),
              p -> {
                hessians.incrementAndGet();
                return new double[dim * dim];
              },
              start,
              true,
              new AtomicReference<>());
      boolean newton = dim <= 1200;
      assertThat(hessians.get()).as("Hessians at %d parameters", dim).isEqualTo(newton ? 1 : 0);
      // With Newton to follow, L-BFGS stops at the hand-over (1e-5 > 1e-6); without, it steps.
      assertThat(fit.iterations()).isEqualTo(newton ? 0 : 1);
      assertThat(fit.converged()).isEqualTo(!newton);
    }
  }

  @Test
  void theDirichletFitIsAStationaryPointOfTheDocumentedOdirObjective() {
    // odirObjective weighs the penalties lambda / (K (K - 1)) and mu / K on its own: the fitted
    // point must zero its gradient (to the promised 1e-8), whatever path the fit took.
    FitData data = FitData.of(ScalingFitTest.noisy(7, 200), "test");
    ScalingFit fit = AffineFit.fitOdir(data, ABC, 0.3, 0.6);
    assertThat(fit.converged()).isTrue();
    AffineScaling c = (AffineScaling) fit.calibrator();
    double[] x = new double[12];
    System.arraycopy(c.weights(), 0, x, 0, 9);
    System.arraycopy(c.biases(), 0, x, 9, 3);
    double[] grad = new double[12];
    AffineObjective.odirObjective(data, 0.3, 0.6, x, grad);
    for (int i = 0; i < grad.length; i++) {
      assertThat(Math.abs(grad[i])).as("gradient %d", i).isLessThanOrEqualTo(1e-8);
    }
    // The biases are not all zero, so the mu / K term is exercised.
    assertThat(Math.abs(x[9]) + Math.abs(x[10]) + Math.abs(x[11])).isGreaterThan(0.01);
  }
}
