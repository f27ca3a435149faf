package io.calibra.backend.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded made-up sentences of varied length, for tests that must run without ../shared. */
final class Sentences {
  private static final String[] SUBJECTS = {
    "the film", "this movie", "the cast", "the plot", "its ending", "the soundtrack", "the director"
  };
  private static final String[] VERBS = {"is", "feels", "seems", "turns out to be", "remains"};
  private static final String[] ADJECTIVES = {
    "wonderful", "dull", "surprisingly moving", "a total mess", "charming", "tedious", "brilliant"
  };
  private static final String[] TAILS = {
    "",
    ", and I would watch it again",
    ", though the second half drags on far too long",
    " despite a few clumsy scenes in the middle",
    "."
  };

  private Sentences() {}

  static List<String> generate(int n, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          SUBJECTS[random.nextInt(SUBJECTS.length)]
              + " "
              + VERBS[random.nextInt(VERBS.length)]
              + " "
              + ADJECTIVES[random.nextInt(ADJECTIVES.length)]
              + TAILS[random.nextInt(TAILS.length)]);
    }
    return out;
  }
}
