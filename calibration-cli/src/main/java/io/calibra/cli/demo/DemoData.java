package io.calibra.cli.demo;

import io.calibra.io.DataFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's SST-2 splits (train for few-shot examples, dev for fitting, test for measuring), read
 * from a folder of {@code label sentence} lines, or a small built-in sample written for this
 * project when no data is available.
 */
record DemoData(String source, Split train, Split dev, Split test) {

  /** Sentences and their gold labels (0 negative, 1 positive). */
  record Split(List<String> texts, int[] gold) {
    int size() {
      return texts.size();
    }
  }

  static DemoData load(Path dir) {
    return new DemoData(
        dir.toString(),
        read(dir.resolve("train.txt")),
        read(dir.resolve("dev.txt")),
        read(dir.resolve("test.txt")));
  }

  static Split read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot read: " + e.getMessage(), e);
    }
    List<String> texts = new ArrayList<>();
    List<Integer> gold = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (line.length() < 3
          || (line.charAt(0) != '0' && line.charAt(0) != '1')
          || line.charAt(1) != ' ') {
        throw new DataFileException(file, i + 1, 1, "expected '0 sentence' or '1 sentence'");
      }
      gold.add(line.charAt(0) - '0');
      texts.add(line.substring(2));
    }
    if (texts.isEmpty()) {
      throw new DataFileException(file, 0, 0, "no sentences");
    }
    return new Split(texts, gold.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Sentences written for this project, so that the demo runs anywhere. */
  static DemoData builtIn() {
    String[] positive = {
      "a warm , funny and beautifully acted film", "the best thing i have seen all year",
      "a clever script and a wonderful cast", "moving , smart and often very funny",
      "an absolute delight from start to finish", "the performances are superb",
      "a gripping story told with real skill", "charming and full of heart",
      "i left the theater smiling", "a rare film that earns its emotions",
      "visually stunning and surprisingly touching", "sharp writing and a great soundtrack",
      "one of the most enjoyable comedies in years", "a confident , graceful debut",
      "the ending is perfect", "tender , honest and wise",
      "a thrilling ride with a big heart", "the actors are having a blast and so are we",
      "inventive and endlessly entertaining", "a small gem worth seeking out",
      "it made me laugh and cry", "an uplifting and well crafted drama",
      "fresh , lively and sweet", "a triumph of storytelling",
    };
    String[] negative = {
      "a dull , lifeless mess", "the worst film i have seen all year",
      "a lazy script and a wasted cast", "boring , predictable and far too long",
      "an absolute chore to sit through", "the performances are wooden",
      "a confused story told without skill", "cold and completely empty",
      "i left the theater early", "a film that never earns its emotions",
      "ugly to look at and badly edited", "clumsy writing and an irritating soundtrack",
      "one of the least funny comedies in years", "a sloppy , aimless debut",
      "the ending is a cheat", "shallow , smug and tedious",
      "a noisy ride with no heart", "the actors look bored and so are we",
      "derivative and endlessly repetitive", "a forgettable film best avoided",
      "it made me check my watch", "a gloomy and poorly made drama",
      "stale , flat and sour", "a failure of storytelling",
    };
    List<String> trainTexts = new ArrayList<>();
    List<String> devTexts = new ArrayList<>();
    List<String> testTexts = new ArrayList<>();
    List<Integer> trainGold = new ArrayList<>();
    List<Integer> devGold = new ArrayList<>();
    List<Integer> testGold = new ArrayList<>();
    for (int i = 0; i < positive.length; i++) {
      for (int label = 0; label < 2; label++) {
        String text = label == 1 ? positive[i] : negative[i];
        if (i < 4) {
          trainTexts.add(text);
          trainGold.add(label);
        } else if (i < 10) {
          devTexts.add(text);
          devGold.add(label);
        } else {
          testTexts.add(text);
          testGold.add(label);
        }
      }
    }
    return new DemoData(
        "the built-in sample",
        new Split(trainTexts, ints(trainGold)),
        new Split(devTexts, ints(devGold)),
        new Split(testTexts, ints(testGold)));
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
