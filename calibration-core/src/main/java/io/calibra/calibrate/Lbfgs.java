package io.calibra.calibrate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for the smooth convex objectives of
 * vector and matrix scaling. Deterministic; never returns a point worse than the start.
 *
 * <p>It stops when the gradient's largest component is at most the tolerance (converged), when the
 * iterations run out, or when no step along the search direction (nor, after a reset, along the
 * steepest descent) lowers the objective any more, or ten steps in a row lower it by less than its
 * rounding (both: the objective's rounding floor). The {@link Result} says which, so a caller never
 * mistakes an early stop for an optimum.
 */
final class Lbfgs {
  /** An objective that writes its gradient at {@code x} into {@code grad} and returns its value. */
  interface Objective {
    double valueAndGradient(double[] x, double[] grad);
  }

  /**
   * Where the search stopped.
   *
   * @param x the point
   * @param value the objective there
   * @param gradient the gradient there
   * @param iterations the accepted steps
   * @param converged whether the gradient's largest component is within the tolerance
   */
  record Result(double[] x, double value, double[] gradient, int iterations, boolean converged) {
    /** The gradient's largest absolute component. */
    double maxAbsGradient() {
      return maxAbs(gradient);
    }
  }

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;

  /** Backtracking halvings before a line search gives up (a step of 2^-40 of the first). */
  private static final int MAX_HALVINGS = 40;

  /** Restarts from steepest descent after failed line searches, before the search stops. */
  private static final int MAX_RESETS = 3;

  /** Consecutive steps that lower the value by less than its rounding, before the search stops. */
  private static final int MAX_STALLED = 10;

  private Lbfgs() {}

  static Result minimize(Objective f, double[] start, int maxIterations, double gradTolerance) {
    return minimize(f, start, maxIterations, gradTolerance, (iteration, value) -> {});
  }

  /** Told after every accepted step: the steps so far and the objective reached. */
  interface Listener {
    void accepted(int iterations, double value);
  }

  /** {@link #minimize(Objective, double[], int, double)}, telling {@code listener} each step. */
  static Result minimize(
      Objective f, double[] start, int maxIterations, double gradTolerance, Listener listener) {
    int dim = start.length;
    double[] x = start.clone();
    double[] g = new double[dim];
    double fx = f.valueAndGradient(x, g);
    checkFinite(fx, "the starting point");
    Deque<double[][]> history = new ArrayDeque<>();
    double[] xNew = new double[dim];
    double[] gNew = new double[dim];
    int iter = 0;
    int resets = 0;
    int stalled = 0;
    while (iter < maxIterations && !(maxAbs(g) <= gradTolerance)) {
      double[] d = direction(g, history);
      double slope = dot(g, d);
      if (!(slope < 0) && !history.isEmpty()) {
        // Not a descent direction (rounding): steepest descent, the direction of an empty history.
        history.clear();
        continue;
      }
      double step = history.isEmpty() ? Math.min(1.0, 1.0 / Math.max(1e-12, norm1(g))) : 1.0;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int tries = 0; tries < MAX_HALVINGS; tries++) {
        for (int i = 0; i < dim; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        fNew = f.valueAndGradient(xNew, gNew);
        if (fNew <= fx + ARMIJO * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        if (history.isEmpty() || ++resets > MAX_RESETS) {
          break; // not even steepest descent lowers the objective: its rounding floor
        }
        history.clear(); // retry from steepest descent before giving up
        continue;
      }
      double[] s = new double[dim];
      double[] y = new double[dim];
      for (int i = 0; i < dim; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
        history.addFirst(new double[][] {s, y, {1.0 / sy}});
        if (history.size() > MEMORY) {
          history.removeLast();
        }
      }
      System.arraycopy(xNew, 0, x, 0, dim);
      System.arraycopy(gNew, 0, g, 0, dim);
      // Progress below the value's rounding, again and again: the search is at its floor.
      stalled = fx - fNew <= 1e-16 * Math.abs(fNew) ? stalled + 1 : 0;
      fx = fNew;
      iter++;
      listener.accepted(iter, fx);
      if (stalled >= MAX_STALLED) {
        break;
      }
    }
    return new Result(x, fx, g, iter, maxAbs(g) <= gradTolerance);
  }

  private static double[] direction(double[] g, Deque<double[][]> history) {
    double[] q = negate(g);
    int m = history.size();
    double[] alpha = new double[m];
    int i = 0;
    for (double[][] h : history) {
      alpha[i] = h[2][0] * dot(h[0], q);
      axpy(-alpha[i], h[1], q);
      i++;
    }
    if (m > 0) {
      double[][] newest = history.peekFirst();
      double gamma = dot(newest[0], newest[1]) / dot(newest[1], newest[1]);
      for (int j = 0; j < q.length; j++) {
        q[j] *= gamma;
      }
    }
    Iterator<double[][]> oldestFirst = history.descendingIterator();
    i = m - 1;
    while (oldestFirst.hasNext()) {
      double[][] h = oldestFirst.next();
      double beta = h[2][0] * dot(h[1], q);
      axpy(alpha[i] - beta, h[0], q);
      i--;
    }
    return q;
  }

  private static void checkFinite(double v, String where) {
    if (!Double.isFinite(v)) {
      throw new IllegalStateException("objective is " + v + " at " + where);
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double[] negate(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static double norm1(double[] v) {
    double s = 0;
    for (double x : v) {
      s += Math.abs(x);
    }
    return s;
  }
}
