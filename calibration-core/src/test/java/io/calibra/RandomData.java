package io.calibra;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random label sets, distributions and labelled sets for property tests. */
public final class RandomData {
  private RandomData() {}

  public static LabelSet labels(int k) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("label" + i);
    }
    return LabelSet.of(names);
  }

  /**
   * Logits with a random per-label bias and a random scale, so distributions vary from flat to
   * peaked.
   */
  public static LabelDistribution distribution(LabelSet labels, Random random, double scale) {
    double[] z = new double[labels.size()];
    for (int k = 0; k < z.length; k++) {
      z[k] = random.nextGaussian() * scale;
    }
    return LabelDistribution.ofLogits(labels, z);
  }

  /**
   * A labelled set where the gold label is drawn from a sharpened version of the distribution, so
   * the model is informative but miscalibrated; at least two gold classes.
   */
  public static LabelledSet labelledSet(LabelSet labels, int n, Random random) {
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    double scale = 0.5 + 3 * random.nextDouble();
    for (int i = 0; i < n; i++) {
      LabelDistribution d = distribution(labels, random, scale);
      rows.add(d);
      gold[i] = sample(d, random);
    }
    if (n >= 2 && gold[0] == gold[1]) {
      gold[1] = (gold[0] + 1) % labels.size();
    }
    return LabelledSet.of(rows, gold);
  }

  private static int sample(LabelDistribution d, Random random) {
    double u = random.nextDouble();
    double[] p = d.toArray();
    // sharpen: p^2 renormalised
    double sum = 0;
    for (double v : p) {
      sum += v * v;
    }
    double acc = 0;
    for (int k = 0; k < p.length; k++) {
      acc += p[k] * p[k] / sum;
      if (u < acc) {
        return k;
      }
    }
    return p.length - 1;
  }

  /** Exact mean NLL of a labelled set (no clipping), for comparing fits. */
  public static double exactNll(LabelledSet data) {
    double s = 0;
    for (int i = 0; i < data.size(); i++) {
      s -= Math.log(data.distribution(i).probability(data.gold(i)));
    }
    return s / data.size();
  }
}
