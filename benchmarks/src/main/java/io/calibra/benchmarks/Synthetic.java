package io.calibra.benchmarks;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic scores: logits with a per-label bias, their probabilities and gold labels. */
final class Synthetic {
  final int n;
  final int k;
  final LabelSet labels;
  final double[] logits;
  final double[] probabilities;
  final int[] gold;

  Synthetic(int n, int k, long seed) {
    this.n = n;
    this.k = k;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("label" + i);
    }
    this.labels = LabelSet.of(names);
    Random random = new Random(seed);
    double[] bias = new double[k];
    for (int j = 0; j < k; j++) {
      bias[j] = random.nextGaussian() * 0.5;
    }
    logits = new double[n * k];
    probabilities = new double[n * k];
    gold = new int[n];
    for (int i = 0; i < n; i++) {
      int g = random.nextInt(k);
      gold[i] = g;
      for (int j = 0; j < k; j++) {
        logits[i * k + j] = random.nextGaussian() * 1.5 + bias[j] + (j == g ? 2.0 : 0.0);
      }
      LabelDistribution.ofLogits(labels, java.util.Arrays.copyOfRange(logits, i * k, i * k + k))
          .copyInto(probabilities, i * k);
    }
  }
}
