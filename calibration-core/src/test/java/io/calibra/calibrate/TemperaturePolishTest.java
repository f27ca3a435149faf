package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every exit of the temperature fit's Newton polish on {@code beta = 1/T}, driven by scripted
 * derivatives (the Newton proposal is {@code beta - d0 / d1}) and scripted NLLs. All expected
 * values are hand derived from the rule in {@link TemperatureScaling#polish}; the steps are chosen
 * so that every subtraction and division is exact (powers of two, Sterbenz subtractions), which the
 * tests check as preconditions where it is not obvious.
 */
class TemperaturePolishTest {
  /** An NLL that is the same for every temperature: the polished T is always acceptable. */
  private static final DoubleUnaryOperator FLAT = t -> 0.0;

  /** Derivatives answered in order (the last repeated), recording every beta asked for. */
  private static final class Script implements DoubleFunction<double[]> {
    final List<Double> asked = new ArrayList<>();
    private final double[][] answers;

    Script(double[]... answers) {
      this.answers = answers;
    }

    @Override
    public double[] apply(double beta) {
      asked.add(beta);
      return answers[Math.min(asked.size(), answers.length) - 1].clone();
    }
  }

  private static double[] d(double first, double second) {
    return new double[] {first, second};
  }

  /**
   * d = (-1, 1) everywhere: each step adds 1 to beta and never converges, so the polish stops after
   * exactly MAX_POLISH = 20 steps: beta = 1 + 20 = 21 (asked at 1, 2, ..., 20), T = 1/21.
   */
  @Test
  void stopsAfterTwentySteps() {
    Script s = new Script(d(-1, 1));
    assertThat(TemperatureScaling.polish(FLAT, s, 1.0)).isEqualTo(1.0 / 21);
    List<Double> expected = new ArrayList<>();
    for (int i = 1; i <= TemperatureScaling.MAX_POLISH; i++) {
      expected.add((double) i);
    }
    assertThat(s.asked).isEqualTo(expected);
    assertThat(TemperatureScaling.MAX_POLISH).isEqualTo(20);
  }

  /**
   * d = (0, 1) at the start: the proposal is beta itself, a step of 0 &lt;= 1e-15 beta: converged
   * after one question, T unchanged. Later answers (which would move beta) are never asked.
   */
  @Test
  void aZeroStepStopsAtOnce() {
    Script s = new Script(d(0, 1), d(-1, 1));
    assertThat(TemperatureScaling.polish(FLAT, s, 1.0)).isEqualTo(1.0);
    assertThat(s.asked).containsExactly(1.0);
  }

  /**
   * The step rule's tie: next = 5e15 * 2^-52 (exact), 1e-15 * next rounds to exactly 5 * 2^-52
   * (1e-15 is 1e-15 (1 + 7.8e-17) as a double, and the relative half-ulp of 5 * 2^-52 is 2^-53 /
   * 1.25 = 8.9e-17), and beta = next + 5 * 2^-52 = (5e15 + 5) 2^-52 is exact (below 2^53 units). d
   * = (5 * 2^-52, 1) at beta proposes next exactly with a step of exactly 1e-15 * next: the rule is
   * "at most", so the polish stops there, T = 1 / next; the second answer (-1, 1), which would move
   * beta by 1, is never asked.
   */
  @Test
  void aStepOfExactlyTheToleranceStops() {
    double next = 5e15 * 0x1p-52;
    double s5 = 5 * 0x1p-52;
    double beta = next + s5;
    assertThat(1e-15 * next).isEqualTo(s5);
    assertThat(beta - s5).isEqualTo(next);
    assertThat(beta - next).isEqualTo(s5);
    assertThat(1.0 / (1.0 / beta)).isEqualTo(beta);
    Script s = new Script(d(s5, 1), d(-1, 1), d(0, 1));
    assertThat(TemperatureScaling.polish(FLAT, s, 1.0 / beta)).isEqualTo(1.0 / next);
    assertThat(s.asked).containsExactly(beta);
  }

  /**
   * Just above the tolerance the polish goes on: beta = next + 6 * 2^-52 with d = (6 * 2^-52, 1)
   * steps to next with a step 1.2 times the tolerance; then d = (0, 1) stops it.
   */
  @Test
  void aStepJustAboveTheToleranceContinues() {
    double next = 5e15 * 0x1p-52;
    double s6 = 6 * 0x1p-52;
    double beta = next + s6;
    assertThat(beta - s6).isEqualTo(next);
    Script s = new Script(d(s6, 1), d(0, 1));
    assertThat(TemperatureScaling.polish(FLAT, s, 1.0 / beta)).isEqualTo(1.0 / next);
    assertThat(s.asked).containsExactly(beta, next);
  }

  /**
   * The tolerance is relative to beta: at beta = 4 + 2^-50 (exact), d = (2^-50, 1) steps to 4 by
   * 2^-50 = 8.9e-16, below 1e-15 * 4 = 4e-15 (stop) though above 1e-15 / 4 (an absolute or inverted
   * tolerance would go on to the second answer).
   */
  @Test
  void theToleranceScalesWithBeta() {
    double beta = 4 + 0x1p-50;
    Script s = new Script(d(0x1p-50, 1), d(-1, 1), d(0, 1));
    assertThat(TemperatureScaling.polish(FLAT, s, 1.0 / beta)).isEqualTo(0.25);
    assertThat(s.asked).containsExactly(beta);
  }

  /**
   * A proposal of exactly 0 (beta = 1, d = (1, 1)) is not a temperature: the polish stops before
   * taking it and asks nothing more, T stays 1. (Had it stepped to beta = 0, the scripted (-0.5, 1)
   * would lead on to beta = 0.5, T = 2.)
   */
  @Test
  void aProposalOfZeroIsRefused() {
    Script s = new Script(d(1, 1), d(-0.5, 1), d(0, 1));
    assertThat(TemperatureScaling.polish(FLAT, s, 1.0)).isEqualTo(1.0);
    assertThat(s.asked).containsExactly(1.0);
  }

  /**
   * Non-positive or non-finite second derivatives and non-finite first ones stop the polish where
   * it is; so does an infinite proposal. At beta = 4 (T = 0.25): d = (-1, -1) would propose 3, d =
   * (Infinity, 1) and d = (1, NaN) nothing finite, d = (-1e300, 1e-300) an infinite beta.
   */
  @Test
  void unusableDerivativesStopWhereItIs() {
    for (double[] bad :
        new double[][] {
          d(-1, -1),
          d(-1, 0),
          d(-1, -0.0),
          d(Double.POSITIVE_INFINITY, 1),
          d(Double.NaN, 1),
          d(1, Double.NaN),
          d(-1e300, 1e-300)
        }) {
      Script s = new Script(bad, d(0, 1));
      assertThat(TemperatureScaling.polish(FLAT, s, 0.25)).isEqualTo(0.25);
      assertThat(s.asked).containsExactly(4.0);
    }
  }

  /**
   * The polished T must stay in [e^-7, e^7]: P = Math.exp(7) = 0x1.122885aaeddaap10 has Math.log(P)
   * == 7 exactly and 1/(1/P) == P (checked). From T = P/2 (beta = 2/P exactly), d = (1/P, 1) steps
   * to beta = 1/P (2x - x is exact), then d = (0, 1) stops: T = P, on the upper bound, is kept.
   * Likewise P = Math.exp(-7) = 0x1.de16b9c24a98fp-11 on the lower bound. A few ulps beyond either
   * bound (3 above the upper, 5 below the lower) the polished T is refused and the Brent point T =
   * P/2 (resp. 2P) returned. These values rely on this JVM's Math.log giving exactly +-7 at P (as
   * the production range check does); the first assertions check it, so another platform fails
   * loudly rather than passing silently.
   */
  @Test
  void theSearchBoundsAreInsideTheRange() {
    for (double p : new double[] {0x1.122885aaeddaap10, 0x1.de16b9c24a98fp-11}) {
      double bound = p > 1 ? TemperatureScaling.MAX_LOG_TEMPERATURE : -7.0;
      assertThat(Math.log(p)).isEqualTo(bound);
      assertThat(1.0 / (1.0 / p)).isEqualTo(p);
      Script s = new Script(d(1.0 / p, 1), d(0, 1));
      assertThat(TemperatureScaling.polish(FLAT, s, p / 2)).isEqualTo(p);
      assertThat(s.asked).containsExactly(2.0 / p, 1.0 / p);
    }
    // a few ulps beyond either bound (logs 7 + 8.9e-16 and -7 - 8.9e-16): refused
    for (double p : new double[] {0x1.122885aaeddadp10, 0x1.de16b9c24a98ap-11}) {
      assertThat(Math.abs(Math.log(p))).isGreaterThan(7.0);
      assertThat(1.0 / (1.0 / p)).isEqualTo(p);
      Script s = new Script(d(1.0 / p, 1), d(0, 1));
      assertThat(TemperatureScaling.polish(FLAT, s, p / 2)).isEqualTo(p / 2);
      assertThat(s.asked).containsExactly(2.0 / p, 1.0 / p);
    }
  }

  /**
   * The polished T is kept when its NLL is at most the Brent point's plus 1e-12, ties included:
   * from T = 1, d = (-1, 1) then (0, 1) polishes to T = 1/2. With NLL(1) = 1 and NLL(1/2) = 1 +
   * 1e-12 (the same double the rule computes) T = 1/2 is kept; one ulp more and T = 1 is kept.
   */
  @Test
  void theNllRuleAcceptsTies() {
    double limit = 1.0 + 1e-12;
    DoubleUnaryOperator tie = t -> t == 1.0 ? 1.0 : limit;
    assertThat(TemperatureScaling.polish(tie, new Script(d(-1, 1), d(0, 1)), 1.0)).isEqualTo(0.5);
    DoubleUnaryOperator worse = t -> t == 1.0 ? 1.0 : Math.nextUp(limit);
    assertThat(TemperatureScaling.polish(worse, new Script(d(-1, 1), d(0, 1)), 1.0)).isEqualTo(1.0);
  }

  /**
   * The fit returns T = 1 unless the polished T's NLL is strictly lower: on a flat NLL (every T
   * ties with T = 1) whose scripted derivatives send the polish to beta = 1/2 from wherever Brent
   * ends, the polish returns T = 2 (the flat NLL accepts it), and the fit must still answer exactly
   * 1. With an NLL 1 at T = 1 and 0 elsewhere, the same path is kept (about 2).
   */
  @Test
  void aTemperatureThatOnlyTiesWithOneIsNotTaken() {
    List<Double> nllAsked = new ArrayList<>();
    DoubleUnaryOperator flat =
        t -> {
          nllAsked.add(t);
          return 0.0;
        };
    assertThat(TemperatureScaling.fitTemperature(flat, toBetaOneHalf())).isEqualTo(1.0);
    // the polish did reach T = 2 (up to the rounding of beta - (beta - 1/2)) and it was compared
    assertThat(nllAsked).anySatisfy(t -> assertThat(Math.abs(t - 2.0)).isLessThan(1e-12));

    double better = TemperatureScaling.fitTemperature(t -> t == 1.0 ? 1.0 : 0.0, toBetaOneHalf());
    assertThat(Math.abs(better - 2.0)).isLessThan(1e-12);
  }

  /** Derivatives whose first Newton step goes to beta = 1/2 (T = 2) and whose second stops. */
  private static DoubleFunction<double[]> toBetaOneHalf() {
    return new DoubleFunction<>() {
      int calls;

      @Override
      public double[] apply(double beta) {
        return calls++ == 0 ? d(beta - 0.5, 1) : d(0, 1);
      }
    };
  }
}
